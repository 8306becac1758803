using System.Collections.Generic;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// Running extrema: <c>max = Math.Max(max, x[i])</c> (or Min) in a top-level counted loop that touches
    /// <c>max</c> nowhere else. Differentiated statement by statement, each iteration would save the running value
    /// and pass the adjoint back through every comparison. The whole loop's effect is simpler: the final value is
    /// one element of x (or the value before the loop), so the forward sweep keeps only the index where the
    /// maximum was last attained and the reverse sweep hands the maximum's adjoint to that element in one step.
    /// At ties the adjoint goes to the last element that attains the maximum (a valid subgradient; the
    /// statement-by-statement rule would split it between tied pairs).
    /// </summary>
    internal sealed partial class ReversePlan
    {
        private readonly HashSet<IrStatement> _extrema = new(ReferenceComparer<IrStatement>.Instance);

        /// <summary>The running extremum statements of each loop, in body order.</summary>
        private readonly Dictionary<IrStatement, List<RunningExtremum>> _extremaByLoop = new(ReferenceComparer<IrStatement>.Instance);

        public bool IsRunningExtremum(IrStatement s) => _extrema.Contains(s);

        public IReadOnlyList<RunningExtremum> RunningExtrema(IrStatement loop)
            => _extremaByLoop.TryGetValue(loop, out var list) ? list : (IReadOnlyList<RunningExtremum>)System.Array.Empty<RunningExtremum>();

        /// <summary>Whether every running extremum kept its value unsaved (the conditions are meant to guarantee it).</summary>
        private bool ExtremaUnsaved()
        {
            foreach (var s in _extrema)
            {
                if (_statements[s].Save != SaveKind.None)
                {
                    return false;
                }
            }

            return true;
        }

        private void FindRunningExtrema()
        {
            var body = Program.Body;
            var storedInto = new HashSet<int>();
            Passes.StatementWalker.Walk(body, s =>
            {
                if (s.Kind is StmtKind.Store or StmtKind.StoreAdd)
                {
                    storedInto.Add(s.Args[0]);
                }
            });

            for (int k = 0; k < body.Count; k++)
            {
                var loop = body[k];
                if (loop.Kind != StmtKind.For)
                {
                    continue;
                }

                foreach (var s in loop.Body)
                {
                    if (Match(loop, k, s, storedInto) is { } extremum)
                    {
                        _extrema.Add(s);
                        if (!_extremaByLoop.TryGetValue(loop, out var list))
                        {
                            _extremaByLoop[loop] = list = new List<RunningExtremum>();
                        }

                        list.Add(extremum);
                    }
                }
            }
        }

        private RunningExtremum? Match(IrStatement loop, int k, IrStatement s, HashSet<int> storedInto)
        {
            if (s.Kind != StmtKind.Assign || s.Op != Op.Math || s.Function is not (MathFunction.Max or MathFunction.Min) || s.Args.Count != 2
                || (s.Args[0] == s.Target) == (s.Args[1] == s.Target))
            {
                return null;
            }

            int acc = s.Target;
            int element = s.Args[0] == acc ? s.Args[1] : s.Args[0];
            var a = Var(acc);
            if (a.Role != VarRole.Local || a.Shape != Shape.Scalar || !TypeClassifier.IsReal(a.Type) || !IsActive(acc)
                || Var(element).Role != VarRole.Temp || Variables[element].Uses != 1 || Variables[element].Definition is not { } load)
            {
                return null;
            }

            // element = x[i]: a parameter's element at the loop counter, x never written.
            if (load.Kind != StmtKind.Assign || load.Op != Op.Load || load.Args.Count != 2 || load.Args[1] != loop.Target
                || Var(load.Args[0]) is not { Role: VarRole.Parameter, Shape: Shape.Vector } x || x.Type != a.Type || storedInto.Contains(load.Args[0])
                || !ContainsDirectly(loop, load))
            {
                return null;
            }

            // Nothing else in the loop touches the running value, and nothing before the loop reads it (its reverse
            // sweep would need the value from before the loop, which is not kept).
            bool alone = true;
            Passes.StatementWalker.Walk(loop.Body, t =>
            {
                if (!ReferenceEquals(t, s) && (t.Target == acc || Contains(t.Args, acc)))
                {
                    alone = false;
                }
            });
            for (int j = 0; j < k && alone; j++)
            {
                Passes.StatementWalker.Walk(new EquatableArray<IrStatement>(new[] { Program.Body[j] }), t => alone &= !Contains(t.Args, acc));
            }

            return alone ? new RunningExtremum(s, acc, element, load.Args[0], loop.Target) : null;
        }

        private static bool ContainsDirectly(IrStatement loop, IrStatement s)
        {
            foreach (var t in loop.Body)
            {
                if (ReferenceEquals(t, s))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>One running extremum: <c>Accumulator = Math.Max(Accumulator, Element)</c> with Element = Array[Counter].</summary>
    internal sealed class RunningExtremum
    {
        public RunningExtremum(IrStatement statement, int accumulator, int element, int array, int counter)
        {
            Statement = statement;
            Accumulator = accumulator;
            Element = element;
            Array = array;
            Counter = counter;
        }

        public IrStatement Statement { get; }

        public int Accumulator { get; }

        public int Element { get; }

        public int Array { get; }

        public int Counter { get; }
    }
}
