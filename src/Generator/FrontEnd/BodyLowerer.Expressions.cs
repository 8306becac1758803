using System.Collections.Generic;
using System.Globalization;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>Expressions, assignments and declarations: each operation becomes one three-address statement.</summary>
    internal sealed partial class BodyLowerer
    {
        private static EquatableArray<int> Args(params int[] args) => new(args);

        private int AddVariable(string name, ScalarType type, Shape shape, Storage storage, VarRole role, int parameter, bool exactName = false)
        {
            name = SignatureReader.Escape(name);
            string unique = role == VarRole.Temp ? "t" + _variables.Count.ToString(CultureInfo.InvariantCulture)
                : exactName ? name : SignatureReader.Unique(name, _names);
            _names.Add(unique);
            _variables.Add(new IrVariable(unique, type, shape, storage, role, parameter));
            return _variables.Count - 1;
        }

        private void Emit(IrStatement statement) => _block.Add(statement);

        private void EmitIf(int condition, EquatableArray<IrStatement> whenTrue, EquatableArray<IrStatement> whenFalse)
            => Emit(new IrStatement(StmtKind.If, -1, Op.None, MathFunction.None, Args(condition), 0, 0, null, whenTrue, whenFalse, _source));

        private IrStatement AssignStatement(int target, Op op, MathFunction function, EquatableArray<int> args, double constant = 0, int aux = 0, string? text = null, LocationInfo? location = null)
            => new(StmtKind.Assign, target, op, function, args, constant, aux, text, EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source, location);

        private void Assign(int target, Op op, MathFunction function, EquatableArray<int> args, double constant = 0, int aux = 0, string? text = null, LocationInfo? location = null)
            => Emit(AssignStatement(target, op, function, args, constant, aux, text, location));

        private int Temp(ScalarType type, Op op, params int[] args)
        {
            int t = AddVariable("t", type, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
            Assign(t, op, MathFunction.None, Args(args));
            return t;
        }

        private int Const(ScalarType type, double value, string? text = null)
        {
            int t = AddVariable("t", type, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
            Assign(t, Op.Const, MathFunction.None, Args(), value, 0, text);
            return t;
        }

        /// <summary>A placeholder value after an error has been reported, so lowering can go on and find more.</summary>
        private int Poison(ITypeSymbol? type) => Const(TypeClassifier.Scalar(type) ?? ScalarType.Double, 0);

        private int DeclareVariable(ILocalSymbol local)
        {
            var type = TypeClassifier.Classify(local.Type) ?? new TypeClass(ScalarType.Double, Shape.Scalar, Storage.Value);
            int id = AddVariable(local.Name, type.Element, type.Shape, type.Shape == Shape.Scalar ? Storage.Value : Storage.LocalBuffer, VarRole.Local, -1);
            _current[local] = id;
            return id;
        }

        private void DeclareLocal(ILocalSymbol local, IOperation? initializer, IOperation declarator)
        {
            var type = TypeClassifier.Classify(local.Type);
            if (type is null)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, declarator.Syntax, "a local of type '" + local.Type.ToDisplayString() + "'",
                    "locals may be double, float, int, bool, or buffers created with new T[n], new T[r, c] or stackalloc");
                DeclareVariable(local);
                return;
            }

            if (type.Value.Shape != Shape.Scalar)
            {
                LowerBufferDefinition(local, initializer, declarator.Syntax);
                return;
            }

            if (type.Value.Element == ScalarType.Int && local.Type.SpecialType != SpecialType.System_Int32)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, declarator.Syntax, "a local of type '" + local.Type.ToDisplayString() + "'",
                    "declare integer locals as int (integer parameters of any size are fine)");
            }

            if (initializer is null)
            {
                DeclareVariable(local);
                return;
            }

            int value = Coerce(LowerValue(initializer), type.Value.Element);
            int id = DeclareVariable(local);
            _assigned.Add(local);
            AssignInto(id, value);
        }

        /// <summary>A buffer local: <c>new T[n]</c>, <c>new T[r, c]</c> or <c>stackalloc T[n]</c>, allocated outside loops.</summary>
        private void LowerBufferDefinition(ILocalSymbol local, IOperation? initializer, SyntaxNode syntax)
        {
            if (_nesting > 0)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, syntax, "a buffer allocated inside a loop or branch",
                    "allocate the buffer once at the top level of the method (before any loop) and overwrite it as needed");
            }

            var value = Unwrap(initializer);
            var dims = new List<int>();
            if (value is IArrayCreationOperation creation)
            {
                if (creation.DimensionSizes.Length == 0 || (creation.Type is IArrayTypeSymbol { Rank: int rank } && rank != creation.DimensionSizes.Length))
                {
                    // Half-typed code (new double[] with neither size nor initializer): the compiler reports it; no code.
                    Report(DiagnosticDescriptors.UnsupportedStatement, syntax, "an array creation without a size for each dimension",
                        "give the array its size, new T[n] or new T[r, c], or an initializer");
                    DeclareVariable(local);
                    return;
                }

                foreach (var size in creation.DimensionSizes)
                {
                    dims.Add(Coerce(LowerValue(size), ScalarType.Int));
                }
            }
            else if (value?.Syntax is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax arrayType }
                && arrayType.RankSpecifiers.Count == 1 && arrayType.RankSpecifiers[0].Sizes.Count == 1
                && _model.GetOperation(arrayType.RankSpecifiers[0].Sizes[0], _cancellationToken) is { } sizeOperation)
            {
                dims.Add(Coerce(LowerValue(sizeOperation), ScalarType.Int));
            }
            else
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, syntax, "a buffer local that does not allocate",
                    "initialise buffer locals with new T[n], new T[r, c] or stackalloc T[n]; aliases of other buffers are not supported");
                DeclareVariable(local);
                return;
            }

            int id = DeclareVariable(local);
            _assigned.Add(local);
            Emit(new IrStatement(StmtKind.Alloc, id, Op.None, MathFunction.None, dims.ToEquatableArray(), 0, 0, null,
                EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source));
            if (value is IArrayCreationOperation { Initializer: { } init })
            {
                for (int i = 0; i < init.ElementValues.Length; i++)
                {
                    int element = Coerce(LowerValue(init.ElementValues[i]), _variables[id].Type);
                    Emit(new IrStatement(StmtKind.Store, -1, Op.None, MathFunction.None, Args(id, Const(ScalarType.Int, i), element), 0, 0, null,
                        EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source));
                }
            }
        }

        /// <summary>Writes <paramref name="value"/> into <paramref name="target"/>, retargeting the temp's definition instead of copying it when possible.</summary>
        private void AssignInto(int target, int value)
        {
            if (target == value)
            {
                return; // t = t = e: the inner assignment already wrote t
            }

            if (_block.Count > 0 && _block[_block.Count - 1] is { Kind: StmtKind.Assign } last && last.Target == value
                && _variables[value].Role == VarRole.Temp && _variables[value].Type == _variables[target].Type)
            {
                _block[_block.Count - 1] = last with { Target = target };
                return;
            }

            Assign(target, Op.Copy, MathFunction.None, Args(value));
        }

        /// <summary>Assigns a source local or parameter. Outside branches and loops, a reassignment makes a new version (SSA), so nothing needs saving.</summary>
        private int AssignSymbol(ISymbol symbol, int value)
        {
            int id = _current[symbol];
            if (_nesting == 0 && _assigned.Contains(symbol))
            {
                var old = _variables[id];
                id = AddVariable(symbol.Name, old.Type, old.Shape, old.Storage, VarRole.Local, -1);
                _current[symbol] = id;
            }

            _assigned.Add(symbol);
            AssignInto(id, Coerce(value, _variables[id].Type));
            return id;
        }

        private int Coerce(int value, ScalarType type)
        {
            if (value < 0 || _variables[value].Type == type || _variables[value].Shape != Shape.Scalar)
            {
                return value;
            }

            int t = AddVariable("t", type, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
            Assign(t, Op.Convert, MathFunction.None, Args(value));
            return t;
        }

        private void LowerEffect(IOperation operation)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    LowerAssignment(assignment.Target, assignment.Value, assignment);
                    return;
                case ICompoundAssignmentOperation compound:
                    LowerCompound(compound);
                    return;
                case IIncrementOrDecrementOperation increment:
                    LowerIncrement(increment);
                    return;
                case IInvocationOperation invocation when HasOutputParameter(invocation.TargetMethod):
                    Report(DiagnosticDescriptors.UnsupportedStatement, operation.Syntax, "a call to the vector-valued method '" + invocation.TargetMethod.Name + "'",
                        "calling a method with an [Output] span from differentiable code is not supported yet; inline its body, or write a scalar [Differentiable] method for what the caller needs");
                    return;
                case IInvocationOperation:
                    Report(DiagnosticDescriptors.UnsupportedStatement, operation.Syntax, "a call whose result is discarded",
                        "differentiable code may only call pure functions and use their results; remove the call");
                    return;
                default:
                    Report(DiagnosticDescriptors.UnsupportedStatement, operation.Syntax, Describe(operation), SupportedStatementsHint);
                    return;
            }
        }

        private int LowerAssignment(IOperation target, IOperation value, IOperation syntaxOwner)
        {
            switch (target)
            {
                case ILocalReferenceOperation local when _variables[CurrentOf(local.Local)].Shape == Shape.Scalar:
                    return AssignSymbol(local.Local, LowerValue(value));
                case IParameterReferenceOperation parameter when _variables[CurrentOf(parameter.Parameter)].Shape == Shape.Scalar:
                    return AssignSymbol(parameter.Parameter, LowerValue(value));
                case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } when ElementTarget(target) is { } element:
                    int v = Coerce(LowerValue(value), _variables[element.Array].Type);
                    var args = new List<int> { element.Array };
                    args.AddRange(element.Indices);
                    args.Add(v);
                    Emit(new IrStatement(StmtKind.Store, -1, Op.None, MathFunction.None, args.ToEquatableArray(), 0, 0, null,
                        EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source));
                    return v;
                case ILocalReferenceOperation:
                case IParameterReferenceOperation:
                    Report(DiagnosticDescriptors.UnsupportedStatement, syntaxOwner.Syntax, "reassigning a buffer",
                        "declare a new buffer instead of reassigning one");
                    return Poison(value.Type);
                default:
                    if (target is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })
                    {
                        return Poison(value.Type); // ElementTarget reported why.
                    }

                    Report(DiagnosticDescriptors.SideEffect, syntaxOwner.Syntax, "assignment", OneLine(target.Syntax.ToString()),
                        "return the value instead, or write into a local buffer");
                    return Poison(value.Type);
            }
        }

        private int CurrentOf(ISymbol symbol) => _current.TryGetValue(symbol, out int id) ? id : DeclareUnknown(symbol);

        private int DeclareUnknown(ISymbol symbol)
        {
            int id = symbol is ILocalSymbol local ? DeclareVariable(local) : AddVariable(symbol.Name, ScalarType.Double, Shape.Scalar, Storage.Value, VarRole.Local, -1);
            _current[symbol] = id;
            return id;
        }

        private readonly record struct Element(int Array, List<int> Indices);

        /// <summary>The buffer and indices of an element that is written; writing into a parameter is reported.</summary>
        private Element? ElementTarget(IOperation target)
        {
            var element = LowerElement(target);
            if (element is { } e && !_variables[e.Array].Storage.IsWritable())
            {
                Report(DiagnosticDescriptors.SideEffect, target.Syntax, "element assignment", _variables[e.Array].Name,
                    "only the [Output] span of a vector-valued method may be written: copy the parameter into a local buffer (new T[n] or stackalloc) and write there, or mark the span [Output]");
                return null;
            }

            return element;
        }

        /// <summary>Lowers <c>a[i]</c>, <c>m[i, j]</c>, <c>rows[i][j]</c> and span indexers to a buffer and its index values.</summary>
        private Element? LowerElement(IOperation operation)
        {
            IOperation? arrayOperation;
            var indexOperations = new List<IOperation>();
            switch (operation)
            {
                case IArrayElementReferenceOperation element:
                    arrayOperation = element.ArrayReference;
                    indexOperations.AddRange(element.Indices);
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance is not null
                    && TypeClassifier.Classify(indexer.Instance.Type) is { Shape: Shape.Vector } && indexer.Arguments.Length == 1:
                    arrayOperation = indexer.Instance;
                    indexOperations.Add(indexer.Arguments[0].Value);
                    break;
                default:
                    Report(DiagnosticDescriptors.UnsupportedExpression, operation.Syntax, Describe(operation), "index buffers with int indices");
                    return null;
            }

            var indices = new List<int>();
            int array;
            if (arrayOperation is IArrayElementReferenceOperation row && TypeClassifier.Classify(row.ArrayReference.Type) is { Shape: Shape.Jagged })
            {
                // rows[i][j]: one load with two indices from the jagged data.
                array = LowerValue(row.ArrayReference);
                foreach (var index in row.Indices)
                {
                    indices.Add(Coerce(LowerValue(index), ScalarType.Int));
                }
            }
            else
            {
                array = LowerValue(arrayOperation);
            }

            if (_variables[array].Shape == Shape.Scalar)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, operation.Syntax, Describe(operation), "only double/float arrays and spans can be indexed");
                return null;
            }

            foreach (var index in indexOperations)
            {
                if (index.Type?.Name == "Index" || index.Type?.Name == "Range")
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, index.Syntax, Describe(index), "use an int index instead of ^i or a range");
                    return null;
                }

                indices.Add(Coerce(LowerValue(index), ScalarType.Int));
            }

            return new Element(array, indices);
        }

        private void LowerCompound(ICompoundAssignmentOperation compound)
        {
            var op = BinaryOp(compound.OperatorKind, compound.Type);
            if (op is null || compound.OperatorMethod is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, compound.Syntax, Describe(compound), "use + - * / on double, float or int");
                return;
            }

            switch (compound.Target)
            {
                case ILocalReferenceOperation or IParameterReferenceOperation:
                    var symbol = compound.Target is ILocalReferenceOperation l ? (ISymbol)l.Local : ((IParameterReferenceOperation)compound.Target).Parameter;
                    int current = CurrentOf(symbol);
                    int value = Coerce(LowerValue(compound.Value), _variables[current].Type);
                    int combined = Temp(_variables[current].Type, op.Value, current, value);
                    AssignSymbol(symbol, combined);
                    return;
                case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }:
                    if (ElementTarget(compound.Target) is not { } element)
                    {
                        return;
                    }

                    int v = Coerce(LowerValue(compound.Value), _variables[element.Array].Type);
                    var args = new List<int> { element.Array };
                    args.AddRange(element.Indices);
                    if (op is Op.Add or Op.Sub)
                    {
                        args.Add(v);
                        Emit(new IrStatement(StmtKind.StoreAdd, -1, op.Value, MathFunction.None, args.ToEquatableArray(), 0, 0, null,
                            EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source));
                        return;
                    }

                    var loadArgs = new List<int>(args);
                    int loaded = AddVariable("t", _variables[element.Array].Type, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                    Assign(loaded, Op.Load, MathFunction.None, loadArgs.ToEquatableArray());
                    args.Add(Temp(_variables[element.Array].Type, op.Value, loaded, v));
                    Emit(new IrStatement(StmtKind.Store, -1, Op.None, MathFunction.None, args.ToEquatableArray(), 0, 0, null,
                        EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source));
                    return;
                default:
                    Report(DiagnosticDescriptors.SideEffect, compound.Syntax, "compound assignment", OneLine(compound.Target.Syntax.ToString()),
                        "return the value instead, or write into a local buffer");
                    return;
            }
        }

        private static bool HasOutputParameter(IMethodSymbol method)
        {
            foreach (var p in method.Parameters)
            {
                if (SignatureReader.HasAttribute(p, SignatureReader.OutputAttribute))
                {
                    return true;
                }
            }

            return false;
        }

        private int LowerIncrement(IIncrementOrDecrementOperation increment)
        {
            if (increment.Target is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })
            {
                // buf[i]++ is buf[i] += 1 (a write into a parameter's element is DG0009, as for any element write).
                if (ElementTarget(increment.Target) is not { } element)
                {
                    return Poison(increment.Type);
                }

                var elementType = _variables[element.Array].Type;
                var args = new List<int> { element.Array };
                args.AddRange(element.Indices);
                // The old value is a local, not a temp: a temp could be printed in place after the write.
                int before = AddVariable("old", elementType, Shape.Scalar, Storage.Value, VarRole.Local, -1);
                Assign(before, Op.Load, MathFunction.None, args.ToEquatableArray());
                var storeArgs = new List<int>(args) { Const(elementType, 1) };
                Emit(new IrStatement(StmtKind.StoreAdd, -1, increment.Kind == OperationKind.Increment ? Op.Add : Op.Sub, MathFunction.None, storeArgs.ToEquatableArray(), 0, 0, null,
                    EquatableArray<IrStatement>.Empty, EquatableArray<IrStatement>.Empty, _source));
                if (increment.IsPostfix)
                {
                    return before;
                }

                int after = AddVariable("t", elementType, Shape.Scalar, Storage.Value, VarRole.Temp, -1);
                Assign(after, Op.Load, MathFunction.None, args.ToEquatableArray());
                return after;
            }

            var symbol = increment.Target switch
            {
                ILocalReferenceOperation l => (ISymbol)l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (symbol is null || _variables[CurrentOf(symbol)].Shape != Shape.Scalar)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, increment.Syntax, Describe(increment), "increment locals only");
                return Poison(increment.Type);
            }

            int current = CurrentOf(symbol);
            var type = _variables[current].Type;
            int old = increment.IsPostfix ? Temp(type, Op.Copy, current) : -1;
            int next = Temp(type, increment.Kind == OperationKind.Increment ? Op.Add : Op.Sub, current, Const(type, 1));
            int id = AssignSymbol(symbol, next);
            return increment.IsPostfix ? old : id;
        }

        private static Op? BinaryOp(BinaryOperatorKind kind, ITypeSymbol? type) => kind switch
        {
            BinaryOperatorKind.Add => Op.Add,
            BinaryOperatorKind.Subtract => Op.Sub,
            BinaryOperatorKind.Multiply => Op.Mul,
            BinaryOperatorKind.Divide => Op.Div,
            BinaryOperatorKind.Remainder => Op.Rem,
            BinaryOperatorKind.LessThan => Op.Lt,
            BinaryOperatorKind.LessThanOrEqual => Op.Le,
            BinaryOperatorKind.GreaterThan => Op.Gt,
            BinaryOperatorKind.GreaterThanOrEqual => Op.Ge,
            BinaryOperatorKind.Equals => Op.Eq,
            BinaryOperatorKind.NotEquals => Op.Ne,
            BinaryOperatorKind.ConditionalAnd => Op.AndAlso,
            BinaryOperatorKind.ConditionalOr => Op.OrElse,
            BinaryOperatorKind.And when type?.SpecialType == SpecialType.System_Boolean => Op.AndAlso,
            BinaryOperatorKind.Or when type?.SpecialType == SpecialType.System_Boolean => Op.OrElse,
            BinaryOperatorKind.ExclusiveOr when type?.SpecialType == SpecialType.System_Boolean => Op.Ne,
            _ => null,
        };
    }
}
