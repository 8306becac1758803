using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Whether a method has compile errors, judged from the binding the front end reads anyway. Asking the compiler
    /// (<c>SemanticModel.GetDiagnostics</c> over the method) binds and flow-analyses the body a second time, apart from
    /// the semantic model's own binding that <c>GetOperation</c> uses: as much again as everything else DiffGen does
    /// for the method. Instead: the method's syntax errors, its declaration errors (for a signature that is not
    /// plain, <see cref="SignatureCheck"/>; the compiler's check of a declaration costs as much as a binding),
    /// the operation tree (invalid operations, error types, conversions that do not exist or are explicit where the
    /// code has none, returns that do not fit the method, constant errors, a local read in its own initializer), the
    /// definite-assignment state at each read of a local declared without a value, and the control-flow analysis of
    /// the body (an end point that falls off a method returning a value). What the check cannot settle cheaply (names
    /// in overlapping scopes, reads in unusual positions) goes to the compiler, and so does a method the front end has
    /// a DG diagnostic for (<see cref="CompilerReportsErrors"/>). docs/benchmarks.md ("Compile time") has the costs and
    /// what the errors the check does not see become.
    /// </summary>
    internal static class ErrorCheck
    {
        public static bool HasCompileErrors(SemanticModel model, MethodDeclarationSyntax syntax, IMethodSymbol method, CancellationToken cancellationToken)
        {
            if (syntax.ContainsDiagnostics && HasError(syntax.GetDiagnostics()))
            {
                return true;
            }

            // The compiler's declaration check completes the whole namespace's declarations: only for a signature
            // that is not plain (SignatureCheck).
            if (SignatureCheck.MayHaveErrors(method, syntax) && HasError(model.GetDeclarationDiagnostics(syntax.Span, cancellationToken)))
            {
                return true;
            }

            SyntaxNode? bodySyntax = (SyntaxNode?)syntax.Body ?? syntax.ExpressionBody;
            if (bodySyntax is null)
            {
                return false;
            }

            if (model.GetOperation(bodySyntax, cancellationToken) is not { } body)
            {
                return true;
            }

            var locals = new Locals();
            if (HasInvalidOperation(body, method, locals, cancellationToken))
            {
                return true;
            }

            // CS0128/CS0136: a local named like a parameter or a local of an enclosing scope. Valid code reuses names
            // in sibling scopes (two loops over i); only overlapping scopes go to the compiler.
            if (HasNameConflict(method, locals))
            {
                return CompilerReportsErrors(model, syntax, cancellationToken);
            }

            // CS0165: locals declared without a value are the only ones a read can reach unassigned (besides a read
            // inside the local's own initializer, found by the walk). Each such read asks the definite-assignment
            // analysis of the already bound body; a read this cannot classify goes to the compiler.
            switch (ReadsUnassigned(model, locals, cancellationToken))
            {
                case Verdict.Error:
                    return true;
                case Verdict.Unsure:
                    return CompilerReportsErrors(model, syntax, cancellationToken);
            }

            // CS0161: a method that returns a value must not reach the end of its block.
            if (!method.ReturnsVoid && syntax.Body is { } block)
            {
                if (block.Statements.Count == 0)
                {
                    return true;
                }

                var flow = model.AnalyzeControlFlow(block.Statements[0], block.Statements[block.Statements.Count - 1]);
                if (flow is null || !flow.Succeeded || flow.EndPointIsReachable)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The compiler's own verdict (binds the body a second time). For a method the front end has a DG diagnostic
        /// for anyway: a method that does not compile gets the compiler's errors and nothing else.
        /// </summary>
        public static bool CompilerReportsErrors(SemanticModel model, MethodDeclarationSyntax syntax, CancellationToken cancellationToken) =>
            HasError(model.GetDiagnostics(syntax.Span, cancellationToken));

        private static bool HasError(IEnumerable<Diagnostic> diagnostics)
        {
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }

        private enum Verdict
        {
            Clean,
            Error,
            Unsure,
        }

        /// <summary>Definitely-assigned state at each read of a local declared without a value.</summary>
        private static Verdict ReadsUnassigned(SemanticModel model, Locals locals, CancellationToken cancellationToken)
        {
            if (locals.DeclaredWithoutValue.Count == 0)
            {
                return Verdict.Clean;
            }

            foreach (var reference in locals.References)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var local = reference.Local;
                if (!locals.DeclaredWithoutValue.Contains(local) || IsPlainWrite(reference))
                {
                    continue;
                }

                // A struct can be assigned field by field; an unusual position may be a write: the compiler decides.
                if ((local.Type.SpecialType == SpecialType.None && local.Type.TypeKind != TypeKind.Array) || reference.Syntax is not ExpressionSyntax expression
                    || !IsPlainRead(reference))
                {
                    return Verdict.Unsure;
                }

                var flow = model.AnalyzeDataFlow(expression);
                if (flow is null || !flow.Succeeded)
                {
                    return Verdict.Unsure;
                }

                if (!flow.DefinitelyAssignedOnEntry.Contains(local))
                {
                    return Verdict.Error;
                }
            }

            return Verdict.Clean;
        }

        private static bool IsPlainWrite(ILocalReferenceOperation reference) => reference.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target == reference,
            IArgumentOperation argument => argument.Parameter?.RefKind == RefKind.Out,
            _ => false,
        };

        /// <summary>Positions where the local's value is read as a whole: an operand, an argument by value, an element access's array, a compound target.</summary>
        private static bool IsPlainRead(ILocalReferenceOperation reference) => reference.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Value == reference,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.None or RefKind.In,
            ICompoundAssignmentOperation or IIncrementOrDecrementOperation => true,
            IBinaryOperation or IUnaryOperation or IConversionOperation or IReturnOperation or IArrayElementReferenceOperation
                or IPropertyReferenceOperation or IVariableInitializerOperation or IConditionalOperation or IExpressionStatementOperation => true,
            _ => false,
        };

        private static bool HasNameConflict(IMethodSymbol method, Locals locals)
        {
            if (locals.Scopes.Count == 0)
            {
                return false;
            }

            var parameters = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var parameter in method.Parameters)
            {
                parameters.Add(parameter.Name);
            }

            for (int i = 0; i < locals.Scopes.Count; i++)
            {
                var (local, scope) = locals.Scopes[i];
                if (parameters.Contains(local.Name))
                {
                    return true;
                }

                for (int j = i + 1; j < locals.Scopes.Count; j++)
                {
                    var (other, otherScope) = locals.Scopes[j];
                    if (other.Name == local.Name && (scope.Contains(otherScope) || otherScope.Contains(scope)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>A read of a local inside its own initializer (<c>double y = y + 1;</c>, CS0165).</summary>
        private static bool ReadsItself(ILocalReferenceOperation reference)
        {
            for (var node = reference.Parent; node is not null; node = node.Parent)
            {
                if (node is IVariableDeclaratorOperation declarator)
                {
                    return SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local);
                }
            }

            return false;
        }

        private sealed class Locals
        {
            /// <summary>Every local with the span of the scope that declares it (a block, a loop, a using, a switch section).</summary>
            public List<(ILocalSymbol Local, Microsoft.CodeAnalysis.Text.TextSpan Scope)> Scopes { get; } = new();

            public HashSet<ILocalSymbol> DeclaredWithoutValue { get; } = new(SymbolEqualityComparer.Default);

            public List<ILocalReferenceOperation> References { get; } = new();
        }

        /// <summary>
        /// A walk with an explicit stack: deep expressions must not overflow it. Collects the locals declared without a
        /// value and every reference to a local.
        /// </summary>
        private static bool HasInvalidOperation(IOperation body, IMethodSymbol method, Locals locals, CancellationToken cancellationToken)
        {
            var stack = new Stack<(IOperation Operation, bool Nested)>();
            stack.Push((body, false));
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (operation, nested) = stack.Pop();
                if (IsInvalid(operation, method, nested))
                {
                    return true;
                }

                if (operation is ILocalReferenceOperation reference)
                {
                    if (ReadsItself(reference))
                    {
                        return true;
                    }

                    locals.References.Add(reference);
                }
                else if (operation is IVariableDeclaratorOperation { Initializer: null, Parent: IVariableDeclarationOperation { Initializer: null } } declarator)
                {
                    locals.DeclaredWithoutValue.Add(declarator.Symbol);
                }

                var scoped = operation switch
                {
                    IBlockOperation block => block.Locals,
                    ILoopOperation loop => loop.Locals,
                    IUsingOperation @using => @using.Locals,
                    ISwitchCaseOperation @case => @case.Locals,
                    ISwitchOperation @switch => @switch.Locals,
                    _ => System.Collections.Immutable.ImmutableArray<ILocalSymbol>.Empty,
                };
                foreach (var local in scoped)
                {
                    locals.Scopes.Add((local, operation.Syntax.Span));
                }

                bool childrenNested = nested || operation is IAnonymousFunctionOperation or ILocalFunctionOperation;
                foreach (var child in operation.ChildOperations)
                {
                    stack.Push((child, childrenNested));
                }
            }

            return false;
        }

        /// <summary>Whether a local function is declared in <paramref name="method"/>'s body (directly or in a local function of it).</summary>
        private static bool DeclaredWithin(IMethodSymbol localFunction, IMethodSymbol method)
        {
            for (ISymbol? owner = localFunction.ContainingSymbol; owner is IMethodSymbol m; owner = m.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsInvalid(IOperation operation, IMethodSymbol method, bool nested)
        {
            if (operation is IInvalidOperation || operation.Type?.TypeKind == TypeKind.Error)
            {
                return true;
            }

            switch (operation)
            {
                // CS0029/CS0030 (no conversion), CS0266 (an explicit conversion where the code has no cast).
                case IConversionOperation conversion:
                    return !conversion.Conversion.Exists || (conversion.IsImplicit && !conversion.Conversion.IsImplicit);

                // CS0126/CS0127: return without a value in a method that has one, or with one in a void method.
                case IReturnOperation { Kind: OperationKind.Return } ret when !nested:
                    return (ret.ReturnedValue is null) != method.ReturnsVoid;

                // CS0815/CS0818 (var without a type), CS0133 (a const local that is not constant).
                case IVariableDeclaratorOperation declarator:
                    return declarator.Symbol.Type.TypeKind == TypeKind.Error || (declarator.Symbol.IsConst && !declarator.Symbol.HasConstantValue);

                // CS0020 (integer division by the constant zero), CS0220 (a constant that overflows).
                case IBinaryOperation binary when IsIntegral(binary.Type):
                    if (binary.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder
                        && binary.RightOperand.ConstantValue is { HasValue: true, Value: { } divisor } && IsZero(divisor))
                    {
                        return true;
                    }

                    return binary.LeftOperand.ConstantValue.HasValue && binary.RightOperand.ConstantValue.HasValue && !binary.ConstantValue.HasValue;

                // CS8801: a local function of the file's top-level statements called from a type's method. When the
                // file has another error (top-level statements after a type, CS8803) Roslyn binds the call without
                // reporting this one, and there is no member to call from generated code.
                case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } target }:
                    return !DeclaredWithin(target, method);

                // CS1586: an array creation with neither a size nor an initializer.
                case IArrayCreationOperation { Initializer: null, DimensionSizes.Length: 0 }:
                    return true;

                // CS0847: an initializer whose length differs from the array's constant size.
                case IArrayCreationOperation { Initializer: { } initializer } creation:
                    return creation.DimensionSizes.Length == 1 && creation.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int size }
                        && size != initializer.ElementValues.Length;

                default:
                    return false;
            }
        }

        private static bool IsIntegral(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char or SpecialType.System_Decimal;

        private static bool IsZero(object value) => value switch
        {
            int i => i == 0,
            long l => l == 0,
            uint u => u == 0,
            ulong u => u == 0,
            short s => s == 0,
            ushort u => u == 0,
            byte b => b == 0,
            sbyte b => b == 0,
            char c => c == 0,
            decimal d => d == 0,
            _ => false,
        };
    }
}
