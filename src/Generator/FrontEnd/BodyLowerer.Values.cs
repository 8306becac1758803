using System.Collections.Generic;
using System.Globalization;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>Values: literals, references, arithmetic, conversions, element reads, conditionals and calls.</summary>
    internal sealed partial class BodyLowerer
    {
        private int LowerValue(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (operation.ConstantValue.HasValue && TypeClassifier.Scalar(operation.Type) is { } constantType)
            {
                return Const(constantType, ToDouble(operation.ConstantValue.Value), NamedConstant(operation));
            }

            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return CurrentOf(parameter.Parameter);
                case ILocalReferenceOperation local:
                    return CurrentOf(local.Local);
                case IConversionOperation conversion:
                    return LowerConversion(conversion);
                case IBinaryOperation binary:
                    return LowerBinary(binary);
                case IUnaryOperation unary:
                    return LowerUnary(unary);
                case IConditionalOperation conditional:
                    return LowerConditionalValue(conditional);
                case IInvocationOperation invocation:
                    return LowerCall(invocation);
                case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }:
                    if (LowerElement(operation) is not { } element)
                    {
                        return Poison(operation.Type);
                    }

                    var args = new List<int> { element.Array };
                    args.AddRange(element.Indices);
                    int loaded = AddVariable("t", _variables[element.Array].Type, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                    Assign(loaded, Op.Load, MathFunction.None, args.ToEquatableArray());
                    return loaded;
                case IPropertyReferenceOperation { Property.Name: "Length", Instance: IArrayElementReferenceOperation row } when TypeClassifier.Classify(row.ArrayReference.Type) is { Shape: Shape.Jagged }:
                    // rows[i].Length: the length of one row of jagged data.
                    int rows = LowerValue(row.ArrayReference);
                    var rowArgs = new List<int> { rows };
                    foreach (var index in row.Indices)
                    {
                        rowArgs.Add(Coerce(LowerValue(index), ScalarType.Int));
                    }

                    int rowLength = AddVariable("t", ScalarType.Int, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                    Assign(rowLength, Op.Length, MathFunction.None, rowArgs.ToEquatableArray());
                    return rowLength;
                case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when TypeClassifier.Classify(instance.Type) is { Shape: Shape.Vector or Shape.Jagged }:
                    return Temp(ScalarType.Int, Op.Length, LowerValue(instance));
                case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field } when TypeClassifier.Scalar(field.Type) is { } fieldType:
                    int named = AddVariable("t", fieldType, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                    Assign(named, Op.Named, MathFunction.None, Args(), 0, 0, FieldName(field));
                    return named;
                case IPropertyReferenceOperation { Instance: { } owner } when TypeClassifier.Classify(owner.Type) is { Shape: not Shape.Scalar }:
                    Report(DiagnosticDescriptors.UnsupportedExpression, operation.Syntax, Describe(operation),
                        "of an array or span only Length (and GetLength of a matrix) can be read; pass anything else as an int parameter");
                    return Poison(operation.Type);
                case IFieldReferenceOperation or IPropertyReferenceOperation:
                    Report(DiagnosticDescriptors.MutableFieldRead, operation.Syntax, OneLine(operation.Syntax.ToString()));
                    return Poison(operation.Type);
                case ISimpleAssignmentOperation assignment:
                    return LowerAssignment(assignment.Target, assignment.Value, assignment);
                case IIncrementOrDecrementOperation increment:
                    return LowerIncrement(increment);
                case IParenthesizedOperation parenthesized:
                    return LowerValue(parenthesized.Operand);
                default:
                    Report(DiagnosticDescriptors.UnsupportedExpression, operation.Syntax, Describe(operation),
                        "use arithmetic, comparisons, Math functions, element reads and calls to differentiable methods");
                    return Poison(operation.Type);
            }
        }

        private static EquatableArray<string> ParameterNames(IMethodSymbol method)
        {
            var names = new string[method.Parameters.Length];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = method.Parameters[i].Name;
            }

            return new EquatableArray<string>(names);
        }

        /// <summary>
        /// A field of the method's own type (or an enclosing one) reads as its simple name, like the source; any
        /// other as <c>global::Ns.Settings.K</c>, since the generated code lives in the method's type.
        /// </summary>
        private string FieldName(IFieldSymbol field)
        {
            for (var type = _method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, field.ContainingType))
                {
                    return SignatureReader.Escape(field.Name);
                }
            }

            return field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + SignatureReader.Escape(field.Name);
        }

        private static double ToDouble(object? value) => value switch
        {
            double d => d,
            float f => f,
            bool b => b ? 1 : 0,
            null => 0,
            System.IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => 0,
        };

        /// <summary>Keeps <c>Math.PI</c> or a named constant readable in generated code.</summary>
        private string? NamedConstant(IOperation operation) => operation switch
        {
            IFieldReferenceOperation field => FieldName(field.Field),
            _ => null,
        };

        private int LowerConversion(IConversionOperation conversion)
        {
            if (conversion.OperatorMethod is { } op && !(op.ContainingType is { Name: "Span" or "ReadOnlySpan" } && op.ContainingType.ContainingNamespace?.ToDisplayString() == "System"))
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, conversion.Syntax, Describe(conversion), "user-defined conversions are not differentiable");
                return Poison(conversion.Type);
            }

            int operand = LowerValue(conversion.Operand);
            var target = TypeClassifier.Classify(conversion.Type);
            if (target is { Shape: Shape.Scalar } scalar)
            {
                if (_variables[operand].Shape != Shape.Scalar)
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, conversion.Syntax, Describe(conversion), "convert scalars only");
                    return Poison(conversion.Type);
                }

                if (!conversion.IsImplicit && TypeClassifier.IsReal(_variables[operand].Type) && !TypeClassifier.IsReal(scalar.Element))
                {
                    // (int)x truncates: piecewise constant, so the pipeline can warn (DG0011) at the cast.
                    int truncated = AddVariable("t", scalar.Element, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                    Assign(truncated, Op.Convert, MathFunction.None, Args(operand), text: "(" + conversion.Type!.ToDisplayString() + ")",
                        location: LocationInfo.From(conversion.Syntax));
                    return truncated;
                }

                return Coerce(operand, scalar.Element);
            }

            if (target is not null && _variables[operand].Shape == target.Value.Shape)
            {
                return operand; // double[] to ReadOnlySpan<double>, Span<T> to ReadOnlySpan<T>: the same buffer.
            }

            Report(DiagnosticDescriptors.UnsupportedExpression, conversion.Syntax, Describe(conversion), "only numeric conversions and array-to-span conversions are supported");
            return Poison(conversion.Type);
        }

        private int LowerBinary(IBinaryOperation binary)
        {
            var op = BinaryOp(binary.OperatorKind, binary.Type);
            if (op is null || binary.OperatorMethod is not null || TypeClassifier.Scalar(binary.Type) is not { } type)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, binary.Syntax, Describe(binary),
                    "supported operators are + - * / % on numbers, comparisons, && || ! and & | ^ on bools");
                return Poison(binary.Type);
            }

            int left = LowerValue(binary.LeftOperand);
            if (op is Op.AndAlso or Op.OrElse)
            {
                // The right operand is lowered after the left; the emitter keeps it inside the && so it still short-circuits.
                int right = LowerValue(binary.RightOperand);
                return Temp(ScalarType.Bool, op.Value, left, right);
            }

            int r = LowerValue(binary.RightOperand);
            if (op is Op.Lt or Op.Le or Op.Gt or Op.Ge or Op.Eq or Op.Ne && _variables[left].Type != _variables[r].Type)
            {
                var common = _variables[left].Type == ScalarType.Double || _variables[r].Type == ScalarType.Double ? ScalarType.Double : _variables[left].Type;
                left = Coerce(left, common);
                r = Coerce(r, common);
            }
            else if (op is not (Op.Lt or Op.Le or Op.Gt or Op.Ge or Op.Eq or Op.Ne))
            {
                left = Coerce(left, type);
                r = Coerce(r, type);
            }

            return Temp(type, op.Value, left, r);
        }

        private int LowerUnary(IUnaryOperation unary)
        {
            if (unary.OperatorMethod is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, unary.Syntax, Describe(unary), "user-defined operators are not differentiable");
                return Poison(unary.Type);
            }

            int operand = LowerValue(unary.Operand);
            var type = TypeClassifier.Scalar(unary.Type) ?? ScalarType.Double;
            switch (unary.OperatorKind)
            {
                case UnaryOperatorKind.Plus:
                    return operand;
                case UnaryOperatorKind.Minus:
                    return Temp(type, Op.Neg, Coerce(operand, type));
                case UnaryOperatorKind.Not:
                    return Temp(ScalarType.Bool, Op.Not, operand);
                default:
                    Report(DiagnosticDescriptors.UnsupportedExpression, unary.Syntax, Describe(unary), "bitwise operators are not supported");
                    return Poison(unary.Type);
            }
        }

        /// <summary><c>c ? a : b</c>: a real-valued conditional becomes an if/else writing one local, so only the taken branch is differentiated.</summary>
        private int LowerConditionalValue(IConditionalOperation conditional)
        {
            var type = TypeClassifier.Scalar(conditional.Type) ?? ScalarType.Double;
            int condition = AsTemp(LowerValue(conditional.Condition));
            if (!TypeClassifier.IsReal(type))
            {
                int a = LowerValue(conditional.WhenTrue);
                int b = LowerValue(conditional.WhenFalse!);
                return Temp(type, Op.Select, condition, a, b);
            }

            int result = AddVariable("choice", type, Shape.Scalar, Storage.Value, VarRole.Local, -1);
            var whenTrue = Nested(() =>
            {
                AssignInto(result, Coerce(LowerValue(conditional.WhenTrue), type));
                return Exit.None;
            });
            var whenFalse = Nested(() =>
            {
                AssignInto(result, Coerce(LowerValue(conditional.WhenFalse!), type));
                return Exit.None;
            });
            EmitIf(condition, whenTrue.Block, whenFalse.Block);
            return result;
        }

        private int LowerCall(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var arguments = new IOperation[method.Parameters.Length];
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } p && p.Ordinal < arguments.Length)
                {
                    arguments[p.Ordinal] = argument.Value;
                }
            }

            if (method.Name == "GetLength" && invocation.Instance is { } instance && TypeClassifier.Classify(instance.Type) is { Shape: Shape.Matrix or Shape.Jagged }
                && arguments.Length == 1 && arguments[0]?.ConstantValue is { HasValue: true, Value: int dimension })
            {
                int array = LowerValue(instance);
                int length = AddVariable("t", ScalarType.Int, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                Assign(length, Op.Length, MathFunction.None, Args(array), dimension);
                return length;
            }

            var function = MathCalls.Recognise(method);
            if (function != MathFunction.None)
            {
                var args = new List<int>();
                for (int i = 0; i < arguments.Length; i++)
                {
                    int value = LowerValue(arguments[i]);
                    args.Add(Coerce(value, TypeClassifier.Scalar(method.Parameters[i].Type) ?? ScalarType.Double));
                }

                var type = TypeClassifier.Scalar(method.ReturnType) ?? ScalarType.Double;
                int t = AddVariable("t", type, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                Assign(t, Op.Math, function, args.ToEquatableArray(), 0, 0, method.ContainingType.Name, LocationInfo.From(invocation.Syntax));
                return t;
            }

            if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, _method.OriginalDefinition))
            {
                Report(DiagnosticDescriptors.Recursion, invocation.Syntax, _method.Name);
                return Poison(invocation.Type);
            }

            if (!method.IsStatic || TypeClassifier.Scalar(method.ReturnType) is not { } returnType || !TypeClassifier.IsReal(returnType) || method.IsGenericMethod)
            {
                Report(DiagnosticDescriptors.NoDerivative, invocation.Syntax, method.ToDisplayString());
                return Poison(invocation.Type);
            }

            var lowered = new List<int>();
            var active = new List<bool>();
            for (int i = 0; i < arguments.Length; i++)
            {
                var parameter = method.Parameters[i];
                if (parameter.RefKind != RefKind.None || arguments[i] is null)
                {
                    Report(DiagnosticDescriptors.NoDerivative, invocation.Syntax, method.ToDisplayString());
                    return Poison(invocation.Type);
                }

                int value = LowerValue(arguments[i]);
                if (TypeClassifier.Classify(parameter.Type) is { Shape: Shape.Scalar } scalar)
                {
                    value = Coerce(value, scalar.Element);
                }

                lowered.Add(value);
                active.Add(SignatureReader.IsActive(parameter));
            }

            var call = new IrCall(
                method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + SignatureReader.Escape(method.Name),
                CallResolver.FindBackward(method),
                active.ToEquatableArray(),
                CallResolver.Key(method),
                LocationInfo.From(invocation.Syntax),
                ParameterNames(method),
                CallResolver.FindHessianVector(method),
                CallResolver.FindTangent(method));
            _calls.Add(call);
            int result = AddVariable("t", returnType, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
            Assign(result, Op.Call, MathFunction.None, lowered.ToEquatableArray(), 0, _calls.Count - 1, null, LocationInfo.From(invocation.Syntax));
            return result;
        }
    }
}
