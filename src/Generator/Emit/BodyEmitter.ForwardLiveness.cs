using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// Values the forward sweep of FHessianVector can skip. Its program is the tangent of the method, differentiated
    /// in reverse: the tangent of the result is what the reverse sweep differentiates, but the method returns the
    /// primal value, so the tangent's own value is never read. Whatever only feeds it (<c>sumDot += …</c> in every
    /// iteration of a loop) is dead, unless the reverse sweep reads it (a product rule reads the tangents it
    /// multiplies). Liveness starts from the returned value, from what the reverse sweep reads and from everything
    /// control flow, stores and calls read, and flows back through assignments.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private HashSet<int>? _deadInForward;

        private void PlanForwardLiveness(int returnVariable)
        {
            _deadInForward = null;
            if (returnVariable < 0 || returnVariable == _program.Result)
            {
                return;
            }

            var live = new HashSet<int> { returnVariable };
            for (int id = 0; id < _program.Variables.Count; id++)
            {
                if (_plan.Variables[id].Needed || _program.Variables[id].Role == VarRole.Parameter)
                {
                    live.Add(id);
                }
            }

            Passes.StatementWalker.Walk(_program.Body, s =>
            {
                if (s.Kind != StmtKind.Assign || s.Op is Op.Call or Op.CallTangent || _plan[s].Save != SaveKind.None
                    || _program.Variables[s.Target].Shape != Shape.Scalar)
                {
                    live.Add(s.Target);
                    foreach (int a in s.Args)
                    {
                        live.Add(a);
                    }
                }
            });

            bool changed = true;
            while (changed)
            {
                changed = false;
                Passes.StatementWalker.Walk(_program.Body, s =>
                {
                    if (s.Kind == StmtKind.Assign && live.Contains(s.Target))
                    {
                        foreach (int a in s.Args)
                        {
                            changed |= live.Add(a);
                        }
                    }
                });
            }

            for (int id = 0; id < _program.Variables.Count; id++)
            {
                if (!live.Contains(id) && id >= 0)
                {
                    (_deadInForward ??= new HashSet<int>()).Add(id);
                }
            }
        }

        /// <summary>An assignment whose value nothing reads: the forward sweep leaves it out.</summary>
        private bool IsDeadInForward(IrStatement s) => s.Kind == StmtKind.Assign && _deadInForward is not null && _deadInForward.Contains(s.Target);

        private bool IsDeadInForward(int id) => _deadInForward is not null && _deadInForward.Contains(id);
    }
}
