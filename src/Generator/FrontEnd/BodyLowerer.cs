using System.Collections.Generic;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Lowers a method body's <see cref="IOperation"/> tree to the structured three-address IR.
    /// Statements (this file) keep the source's control flow but make every jump structured: a <c>return</c>,
    /// <c>break</c> or <c>continue</c> sets a flag and the rest of its block runs under a guard, so the reverse
    /// sweep can replay the control flow backwards. Expressions are in <c>BodyLowerer.Expressions.cs</c>.
    /// Anything unsupported is reported with its exact span; lowering goes on so that every problem is reported.
    /// </summary>
    internal sealed partial class BodyLowerer
    {
        private readonly SemanticModel _model;
        private readonly IMethodSymbol _method;
        private readonly CancellationToken _cancellationToken;
        private readonly List<IrVariable> _variables = new();
        private readonly List<SourceLine> _sources = new();
        private readonly List<IrCall> _calls = new();
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly Dictionary<ISymbol, int> _current = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol> _assigned = new(SymbolEqualityComparer.Default);
        private readonly HashSet<string> _names = new();
        private readonly List<LoopContext> _loops = new();
        private List<IrStatement> _block = new();
        private int _source = -1;
        private int _nesting;
        private int _result = -1;
        private int _returned = -1;

        private sealed class LoopContext
        {
            public int Break = -1;
            public int Continue = -1;
        }

        private readonly record struct Exit(bool May, bool Always)
        {
            public static readonly Exit None = new(false, false);
        }

        public BodyLowerer(SemanticModel model, IMethodSymbol method, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            _model = model;
            _method = method;
            _diagnostics = diagnostics;
            _cancellationToken = cancellationToken;
        }

        public IrProgram? Lower(MethodDeclarationSyntax syntax, ScalarType resultType)
        {
            foreach (var parameter in _method.Parameters)
            {
                _names.Add(SignatureReader.Escape(parameter.Name));
            }

            for (int i = 0; i < _method.Parameters.Length; i++)
            {
                var p = _method.Parameters[i];
                // An unsupported parameter was reported already; a stand-in lets the body be checked too.
                var type = TypeClassifier.Classify(p.Type) ?? new TypeClass(ScalarType.Int, Shape.Scalar, Storage.Value);
                var storage = SignatureReader.HasAttribute(p, SignatureReader.OutputAttribute) && type.Shape == Shape.Vector ? Storage.Output : type.Storage;
                int id = AddVariable(p.Name, type.Element, type.Shape, storage, VarRole.Parameter, i, exactName: true);
                _current[p] = id;
                _assigned.Add(p);
            }

            _result = AddVariable("result", resultType, Shape.Scalar, Storage.Value, VarRole.Result, -1);

            IOperation? body = syntax.Body is not null
                ? _model.GetOperation(syntax.Body, _cancellationToken)
                : syntax.ExpressionBody is not null ? _model.GetOperation(syntax.ExpressionBody, _cancellationToken) : null;
            if (body is null)
            {
                return null;
            }

            // A parameter written inside a branch or loop gets a working copy: its adjoint parameter accumulates into
            // the caller's buffer and must not be reset where the variable is overwritten.
            foreach (var parameter in ParametersWrittenInBlocks(body))
            {
                int original = _current[parameter];
                var v = _variables[original];
                if (v.Shape != Shape.Scalar)
                {
                    continue;
                }

                int copy = AddVariable(parameter.Name, v.Type, Shape.Scalar, Storage.Value, VarRole.Local, -1);
                Assign(copy, Op.Copy, MathFunction.None, Args(original));
                _current[parameter] = copy;
            }

            LowerStatements(Statements(body), 0);
            if (_returned >= 0)
            {
                // The early-return flag starts false.
                _block.Insert(0, AssignStatement(_returned, Op.Const, MathFunction.None, Args(), 0) with { Source = -1 });
            }

            return new IrProgram(
                _variables.ToEquatableArray(),
                _block.ToEquatableArray(),
                _sources.ToEquatableArray(),
                _calls.ToEquatableArray(),
                _result,
                resultType);
        }

        private static IEnumerable<IParameterSymbol> ParametersWrittenInBlocks(IOperation body)
        {
            var found = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            foreach (var node in body.DescendantsAndSelf())
            {
                var target = node switch
                {
                    IAssignmentOperation a => a.Target,
                    IIncrementOrDecrementOperation i => i.Target,
                    _ => null,
                };
                if (target is not IParameterReferenceOperation parameter || found.Contains(parameter.Parameter))
                {
                    continue;
                }

                for (var parent = node.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IConditionalOperation or ILoopOperation)
                    {
                        found.Add(parameter.Parameter);
                        break;
                    }
                }
            }

            return found;
        }

        private static IReadOnlyList<IOperation> Statements(IOperation operation) => operation switch
        {
            IBlockOperation block => block.Operations,
            _ => new[] { operation },
        };

        private Exit LowerStatements(IReadOnlyList<IOperation> statements, int start)
        {
            bool may = false;
            for (int i = start; i < statements.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var statement = statements[i];
                bool hasRest = i + 1 < statements.Count;

                // `if (c) { ...; return x; } rest` becomes `if (c) { ... } else { rest }`: no flag, no guard.
                if (hasRest && statement is IConditionalOperation conditional && !IsExpression(conditional))
                {
                    bool thenExits = ExitAnalysis.AlwaysExits(conditional.WhenTrue);
                    bool elseExits = ExitAnalysis.AlwaysExits(conditional.WhenFalse);
                    if (thenExits != elseExits)
                    {
                        var otherBranch = thenExits ? conditional.WhenFalse : conditional.WhenTrue;
                        if (!ExitAnalysis.MayExit(otherBranch))
                        {
                            var exit = LowerIf(conditional, thenExits ? null : statements, thenExits ? statements : null, i + 1);
                            return new Exit(true, exit.Always);
                        }
                    }
                }

                var result = LowerStatement(statement);
                may |= result.May;
                if (result.Always)
                {
                    return new Exit(true, true);
                }

                if (result.May && hasRest && GuardCondition() is int guard && guard >= 0)
                {
                    // The guard belongs to the statements it protects.
                    BeginSource(statements[i + 1]);
                    var rest = Nested(() => LowerStatements(statements, i + 1));
                    EmitIf(guard, rest.Block, EquatableArray<IrStatement>.Empty);
                    return new Exit(true, false);
                }
            }

            return new Exit(may, false);
        }

        /// <summary>A bool temp that is true when no jump has been taken at this level (so the rest of the block runs).</summary>
        private int GuardCondition()
        {
            int flag;
            if (_loops.Count > 0)
            {
                var loop = _loops[_loops.Count - 1];
                int a = loop.Break >= 0 ? loop.Break : -1;
                int b = loop.Continue >= 0 ? loop.Continue : -1;
                flag = a >= 0 && b >= 0 ? Temp(ScalarType.Bool, Op.OrElse, a, b) : (a >= 0 ? a : b);
            }
            else
            {
                flag = _returned;
            }

            return flag < 0 ? -1 : Temp(ScalarType.Bool, Op.Not, flag);
        }

        private Exit LowerStatement(IOperation statement)
        {
            switch (statement)
            {
                case IBlockOperation block:
                    return LowerStatements(block.Operations, 0);
                case IEmptyOperation:
                    return Exit.None;
                case IVariableDeclarationGroupOperation group:
                    BeginSource(statement);
                    foreach (var declaration in group.Declarations)
                    {
                        foreach (var declarator in declaration.Declarators)
                        {
                            var initializer = declarator.Initializer ?? declaration.Initializer;
                            DeclareLocal(declarator.Symbol, initializer?.Value, declarator);
                        }
                    }

                    return Exit.None;
                case IExpressionStatementOperation expression:
                    BeginSource(statement);
                    LowerEffect(expression.Operation);
                    return Exit.None;
                case IReturnOperation ret:
                    BeginSource(statement);
                    return LowerReturn(ret);
                case IConditionalOperation conditional:
                    return LowerIf(conditional, null, null, 0);
                case IForLoopOperation forLoop:
                    return LowerFor(forLoop);
                case IWhileLoopOperation whileLoop:
                    return LowerWhile(whileLoop);
                case IForEachLoopOperation forEach:
                    return LowerForEach(forEach);
                case IBranchOperation { BranchKind: BranchKind.Break } when _loops.Count > 0:
                    BeginSource(statement);
                    SetFlag(ref _loops[_loops.Count - 1].Break);
                    return new Exit(true, true);
                case IBranchOperation { BranchKind: BranchKind.Continue } when _loops.Count > 0:
                    BeginSource(statement);
                    SetFlag(ref _loops[_loops.Count - 1].Continue);
                    return new Exit(true, true);
                case IBranchOperation branch:
                    Report(DiagnosticDescriptors.UnsupportedStatement, statement.Syntax, Describe(branch), "use structured loops and if/else instead of goto");
                    return Exit.None;
                default:
                    Report(DiagnosticDescriptors.UnsupportedStatement, statement.Syntax, Describe(statement), SupportedStatementsHint);
                    return Exit.None;
            }
        }

        private const string SupportedStatementsHint =
            "supported statements are local declarations, assignments, if/else, for, foreach, while, do/while, break, continue and return";

        private static bool IsExpression(IConditionalOperation conditional) => conditional.Syntax is ConditionalExpressionSyntax;

        private Exit LowerReturn(IReturnOperation ret)
        {
            if (ret.ReturnedValue is { } value)
            {
                int v = LowerValue(value);
                Assign(_result, Op.Copy, MathFunction.None, Args(v));
            }

            if (_nesting > 0)
            {
                SetFlag(ref _returned);
                foreach (var loop in _loops)
                {
                    SetFlag(ref loop.Break);
                }
            }

            return new Exit(true, true);
        }

        private void SetFlag(ref int flag)
        {
            if (flag < 0)
            {
                flag = AddVariable("exit", ScalarType.Bool, Shape.Scalar, Storage.Value, VarRole.Flag, -1);
            }

            Assign(flag, Op.Const, MathFunction.None, Args(), 1);
        }

        private Exit LowerIf(IConditionalOperation conditional, IReadOnlyList<IOperation>? restIntoThen, IReadOnlyList<IOperation>? restIntoElse, int restStart)
        {
            BeginSource(conditional, Header(conditional.Syntax));
            int condition = AsTemp(LowerValue(conditional.Condition));
            var whenTrue = Nested(() =>
            {
                var e = LowerStatement(conditional.WhenTrue);
                return restIntoThen is null ? e : Combine(e, LowerStatements(restIntoThen, restStart));
            });
            var whenFalse = Nested(() =>
            {
                var e = conditional.WhenFalse is null ? Exit.None : LowerStatement(conditional.WhenFalse);
                return restIntoElse is null ? e : Combine(e, LowerStatements(restIntoElse, restStart));
            });
            EmitIf(condition, whenTrue.Block, whenFalse.Block);
            return new Exit(whenTrue.Exit.May || whenFalse.Exit.May, whenTrue.Exit.Always && whenFalse.Exit.Always);
        }

        /// <summary>Control values (conditions, loop bounds) are always temps, so the reverse sweep can keep the value the statement saw.</summary>
        private int AsTemp(int value) => _variables[value].Role == VarRole.Temp ? value : Temp(_variables[value].Type, Op.Copy, value);

        private static Exit Combine(Exit first, Exit rest) => new(first.May || rest.May, first.Always || rest.Always);

        private (EquatableArray<IrStatement> Block, Exit Exit) Nested(System.Func<Exit> lower)
        {
            var saved = _block;
            int source = _source;
            _block = new List<IrStatement>();
            _nesting++;
            try
            {
                var exit = lower();
                return (_block.ToEquatableArray(), exit);
            }
            finally
            {
                _nesting--;
                _block = saved;
                _source = source;
            }
        }

        private void BeginSource(IOperation operation, string? text = null)
        {
            var syntax = operation.Syntax;
            var line = syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            text ??= OneLine(syntax.ToString());
            _sources.Add(new SourceLine(line, text));
            _source = _sources.Count - 1;
        }

        /// <summary>The header of a compound statement (<c>for (int i = 0; i &lt; n; i++)</c>), for the comment above its code.</summary>
        private static string Header(SyntaxNode syntax)
        {
            SyntaxToken end = syntax switch
            {
                IfStatementSyntax s => s.CloseParenToken,
                ForStatementSyntax s => s.CloseParenToken,
                CommonForEachStatementSyntax s => s.CloseParenToken,
                WhileStatementSyntax s => s.CloseParenToken,
                DoStatementSyntax s => s.DoKeyword,
                _ => default,
            };
            if (end == default)
            {
                return OneLine(syntax.ToString());
            }

            var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.SpanStart, end.Span.End);
            return OneLine(syntax.SyntaxTree.GetText().ToString(span));
        }

        private static string OneLine(string text)
        {
            var builder = new System.Text.StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = builder.Length > 0;
                    continue;
                }

                if (space)
                {
                    builder.Append(' ');
                    space = false;
                }

                builder.Append(c);
            }

            string result = builder.ToString();
            return result.Length > 100 ? result.Substring(0, 97) + "..." : result;
        }

        private void Report(DiagnosticDescriptor descriptor, SyntaxNode syntax, params string[] arguments)
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(syntax), arguments));
        }

        private static string Describe(IOperation operation)
        {
            string text = OneLine(operation.Syntax.ToString());
            if (text.Length > 40)
            {
                text = text.Substring(0, 37) + "...";
            }

            return "'" + text + "'";
        }
    }
}
