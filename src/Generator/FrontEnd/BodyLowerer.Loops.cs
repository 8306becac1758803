using System.Collections.Generic;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Loops. A <c>for</c> over an int counter with a loop-invariant bound and no <c>break</c> becomes a counted
    /// <see cref="StmtKind.For"/>, which the reverse sweep runs backwards without saving the counter. Every other
    /// loop becomes a general <see cref="StmtKind.Loop"/> whose trip count is recorded.
    /// </summary>
    internal sealed partial class BodyLowerer
    {
        private Exit LowerFor(IForLoopOperation loop)
        {
            if (CanonicalCounter(loop) is { } counter)
            {
                BeginSource(loop, Header(loop.Syntax));
                int lo = AsTemp(Coerce(LowerValue(counter.Initial), ScalarType.Int));
                int hi = AsTemp(Coerce(LowerValue(counter.Bound), ScalarType.Int));
                if (counter.Inclusive && !counter.Descending)
                {
                    hi = Temp(ScalarType.Int, Op.Add, hi, Const(ScalarType.Int, 1));
                }

                int index = AddVariable(counter.Local.Name, ScalarType.Int, Shape.Scalar, Storage.Value, VarRole.Local, -1);
                _current[counter.Local] = index;
                _assigned.Add(counter.Local);
                // Descending loops: Constant -1 is `i >= bound; i--`, -2 is `i > bound; i--`.
                EmitCounted(index, lo, hi, null, loop.Body, !counter.Descending ? 0 : counter.Inclusive ? -1 : -2);
                return ExitOf(loop.Body);
            }

            BeginSource(loop, Header(loop.Syntax));
            int header = _source;
            foreach (var before in loop.Before)
            {
                LowerStatement(before);
            }

            _source = header;
            return EmitGeneral(loop, loop.Condition, loop.Body, loop.AtLoopBottom, conditionFirst: true);
        }

        private Exit LowerWhile(IWhileLoopOperation loop)
        {
            BeginSource(loop, Header(loop.Syntax));
            return EmitGeneral(loop, loop.Condition, loop.Body, System.Array.Empty<IOperation>(), conditionFirst: loop.ConditionIsTop);
        }

        private Exit LowerForEach(IForEachLoopOperation loop)
        {
            BeginSource(loop, Header(loop.Syntax));
            var collection = Unwrap(loop.Collection);
            int array = collection is null ? -1 : LowerValue(collection);
            var element = loop.Locals.Length == 1 ? loop.Locals[0] : null;
            if (array < 0 || _variables[array].Shape != Shape.Vector || element is null)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, loop.Syntax, Describe(loop), "foreach is supported over one-dimensional arrays and spans");
                return Exit.None;
            }

            int lo = Const(ScalarType.Int, 0);
            int hi = Temp(ScalarType.Int, Op.Length, array);
            int index = AddVariable("i", ScalarType.Int, Shape.Scalar, Storage.Value, VarRole.Local, -1);
            if (ExitAnalysis.BreaksOut(loop.Body))
            {
                // foreach with break: a general loop over the same counter.
                Assign(index, Op.Copy, MathFunction.None, Args(lo));
                return EmitGeneralCounted(loop, index, hi, array, element);
            }

            EmitCounted(index, lo, hi, (array, element), loop.Body);
            return ExitOf(loop.Body);
        }

        private static IOperation? Unwrap(IOperation? operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>Only a return leaves the statement after a loop; break and continue stay inside it.</summary>
        private static Exit ExitOf(IOperation body) => new(ExitAnalysis.MayExit(body, insideNestedLoop: true), false);

        private void EmitCounted(int index, int lo, int hi, (int Array, ILocalSymbol Element)? forEach, IOperation body, double direction = 0)
        {
            var context = new LoopContext();
            _loops.Add(context);
            var lowered = Nested(() =>
            {
                if (forEach is { } fe)
                {
                    int element = DeclareVariable(fe.Element);
                    Assign(element, Op.Load, MathFunction.None, Args(fe.Array, index));
                }

                return LowerStatement(body);
            });
            _loops.RemoveAt(_loops.Count - 1);
            var block = WithContinueReset(context, lowered.Block);
            Emit(new IrStatement(StmtKind.For, index, Op.None, MathFunction.None, Args(lo, hi), direction, 0, null, block, EquatableArray<IrStatement>.Empty, _source));
        }

        /// <summary>
        /// <c>while (true) { pre; if (!cond) break; post; if (exit) break; }</c>, where a top-tested loop evaluates
        /// its condition in pre and runs its body in post, and a do/while runs its body and condition in pre.
        /// </summary>
        private Exit EmitGeneral(IOperation loop, IOperation? condition, IOperation body, IEnumerable<IOperation> atBottom, bool conditionFirst)
        {
            var context = new LoopContext();
            int headerSource = _source;
            _loops.Add(context);
            int cond = -1;
            (EquatableArray<IrStatement> Block, Exit Exit) pre;
            (EquatableArray<IrStatement> Block, Exit Exit) post;
            if (conditionFirst)
            {
                pre = Nested(() =>
                {
                    _source = headerSource;
                    cond = condition is null ? Const(ScalarType.Bool, 1) : LowerValue(condition);
                    return Exit.None;
                });
                post = Nested(() => LowerBodyThenBottom(context, body, atBottom));
            }
            else
            {
                pre = Nested(() =>
                {
                    var exit = LowerStatement(body);
                    _source = headerSource;
                    cond = LowerConditionUnlessBroken(context, condition!);
                    return exit;
                });
                post = (EquatableArray<IrStatement>.Empty, Exit.None);
            }

            _loops.RemoveAt(_loops.Count - 1);
            _source = headerSource;
            if (context.Break >= 0)
            {
                Assign(context.Break, Op.Const, MathFunction.None, Args(), 0);
            }

            var preBlock = conditionFirst ? pre.Block : WithContinueReset(context, pre.Block);
            var postBlock = conditionFirst ? WithContinueReset(context, post.Block) : post.Block;
            var args = context.Break >= 0 && conditionFirst ? Args(cond, context.Break) : Args(cond);
            Emit(new IrStatement(StmtKind.Loop, -1, Op.None, MathFunction.None, args, 0, 0, null, preBlock, postBlock, _source));
            return new Exit(ExitAnalysis.MayExit(loop), false);
        }

        private Exit EmitGeneralCounted(IOperation loop, int index, int hi, int array, ILocalSymbol element)
        {
            var context = new LoopContext();
            int headerSource = _source;
            _loops.Add(context);
            int cond = -1;
            var pre = Nested(() =>
            {
                cond = Temp(ScalarType.Bool, Op.Lt, index, hi);
                return Exit.None;
            });
            var post = Nested(() =>
            {
                int e = DeclareVariable(element);
                Assign(e, Op.Load, MathFunction.None, Args(array, index));
                var exit = LowerStatement(((IForEachLoopOperation)loop).Body);
                _source = headerSource;
                int notBroken = context.Break >= 0 ? Temp(ScalarType.Bool, Op.Not, context.Break) : -1;
                var step = Nested(() =>
                {
                    Assign(index, Op.Add, MathFunction.None, Args(index, Const(ScalarType.Int, 1)));
                    return Exit.None;
                });
                if (notBroken >= 0)
                {
                    EmitIf(notBroken, step.Block, EquatableArray<IrStatement>.Empty);
                }
                else
                {
                    foreach (var s in step.Block)
                    {
                        Emit(s);
                    }
                }

                return exit;
            });
            _loops.RemoveAt(_loops.Count - 1);
            if (context.Break >= 0)
            {
                Assign(context.Break, Op.Const, MathFunction.None, Args(), 0);
            }

            var args = context.Break >= 0 ? Args(cond, context.Break) : Args(cond);
            Emit(new IrStatement(StmtKind.Loop, -1, Op.None, MathFunction.None, args, 0, 0, null, pre.Block, WithContinueReset(context, post.Block), _source));
            return new Exit(ExitAnalysis.MayExit(loop), false);
        }

        private Exit LowerBodyThenBottom(LoopContext context, IOperation body, IEnumerable<IOperation> atBottom)
        {
            var exit = LowerStatement(body);
            var bottom = new List<IOperation>(atBottom);
            if (bottom.Count == 0)
            {
                return exit;
            }

            if (context.Break >= 0)
            {
                // A break skips the increment.
                int notBroken = Temp(ScalarType.Bool, Op.Not, context.Break);
                var step = Nested(() => LowerStatements(bottom, 0));
                EmitIf(notBroken, step.Block, EquatableArray<IrStatement>.Empty);
            }
            else
            {
                LowerStatements(bottom, 0);
            }

            return exit;
        }

        /// <summary>In a do/while, the condition is only evaluated when the body did not break.</summary>
        private int LowerConditionUnlessBroken(LoopContext context, IOperation condition)
        {
            if (context.Break < 0)
            {
                return LowerValue(condition);
            }

            int cond = AddVariable("loop", ScalarType.Bool, Shape.Scalar, Storage.Value, VarRole.Flag, -1);
            Assign(cond, Op.Const, MathFunction.None, Args(), 0);
            int notBroken = Temp(ScalarType.Bool, Op.Not, context.Break);
            var evaluate = Nested(() =>
            {
                int c = LowerValue(condition);
                Assign(cond, Op.Copy, MathFunction.None, Args(c));
                return Exit.None;
            });
            EmitIf(notBroken, evaluate.Block, EquatableArray<IrStatement>.Empty);
            return cond;
        }

        private EquatableArray<IrStatement> WithContinueReset(LoopContext context, EquatableArray<IrStatement> block)
        {
            if (context.Continue < 0)
            {
                return block;
            }

            var list = new List<IrStatement> { AssignStatement(context.Continue, Op.Const, MathFunction.None, Args(), 0) };
            list.AddRange(block);
            return list.ToEquatableArray();
        }

        private sealed record Counter(ILocalSymbol Local, IOperation Initial, IOperation Bound, bool Inclusive, bool Descending = false);

        /// <summary>Recognises <c>for (int i = a; i &lt; b; i++)</c> (or <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>) with a bound the body does not change.</summary>
        private static Counter? CanonicalCounter(IForLoopOperation loop)
        {
            if (loop.Before.Length != 1 || loop.Before[0] is not IVariableDeclarationGroupOperation group
                || group.Declarations.Length != 1 || group.Declarations[0].Declarators.Length != 1)
            {
                return null;
            }

            var declarator = group.Declarations[0].Declarators[0];
            var local = declarator.Symbol;
            if (local.Type.SpecialType != SpecialType.System_Int32 || declarator.Initializer is null)
            {
                return null;
            }

            if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } condition
                || Unwrap(condition.LeftOperand) is not ILocalReferenceOperation left || !SymbolEqualityComparer.Default.Equals(left.Local, local))
            {
                return null;
            }

            bool descending = condition.OperatorKind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;
            if (loop.AtLoopBottom.Length != 1 || loop.AtLoopBottom[0] is not IExpressionStatementOperation { Operation: var step }
                || !(descending ? IsUnitDecrement(step, local) : IsUnitIncrement(step, local)))
            {
                return null;
            }

            var written = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            CollectWrittenLocals(loop.Body, written);
            if (written.Contains(local) || ExitAnalysis.BreaksOut(loop.Body))
            {
                return null;
            }

            written.Add(local); // the step writes the counter: a bound that reads it (i < i) changes every iteration
            if (!IsInvariant(condition.RightOperand, written))
            {
                return null;
            }

            return new Counter(local, declarator.Initializer.Value, condition.RightOperand,
                condition.OperatorKind is BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThanOrEqual, descending);
        }

        private static bool IsUnitDecrement(IOperation step, ILocalSymbol local) => step switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Decrement, Target: ILocalReferenceOperation t } => SymbolEqualityComparer.Default.Equals(t.Local, local),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract, Target: ILocalReferenceOperation t, Value: { ConstantValue: { HasValue: true, Value: 1 } } } =>
                SymbolEqualityComparer.Default.Equals(t.Local, local),
            _ => false,
        };

        private static bool IsUnitIncrement(IOperation step, ILocalSymbol local) => step switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation t } => SymbolEqualityComparer.Default.Equals(t.Local, local),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation t, Value: { ConstantValue: { HasValue: true, Value: 1 } } } =>
                SymbolEqualityComparer.Default.Equals(t.Local, local),
            _ => false,
        };

        private static void CollectWrittenLocals(IOperation operation, HashSet<ILocalSymbol> written)
        {
            foreach (var node in operation.DescendantsAndSelf())
            {
                var target = node switch
                {
                    IAssignmentOperation a => a.Target,
                    IIncrementOrDecrementOperation i => i.Target,
                    _ => null,
                };
                if (target is ILocalReferenceOperation local)
                {
                    written.Add(local.Local);
                }
            }
        }

        /// <summary>A bound is invariant when it reads only locals the body does not write, parameters, constants and lengths.</summary>
        private static bool IsInvariant(IOperation bound, HashSet<ILocalSymbol> written)
        {
            foreach (var node in bound.DescendantsAndSelf())
            {
                switch (node)
                {
                    case ILocalReferenceOperation local when written.Contains(local.Local):
                    case IInvocationOperation invocation when invocation.TargetMethod.Name != "GetLength":
                    case IArrayElementReferenceOperation:
                        return false;
                }
            }

            return true;
        }
    }
}
