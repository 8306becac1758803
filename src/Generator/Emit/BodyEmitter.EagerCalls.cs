using System.Collections.Generic;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// Calls whose local derivatives are taken in the forward sweep. A call at the top level of the body runs exactly
    /// once, so the forward sweep can call the callee's pullback with seed 1 instead of the callee itself: one
    /// evaluation gives the value and every partial derivative, which wait in locals until the reverse sweep scales
    /// them by the result's adjoint. Calling the pullback in the reverse sweep instead evaluates the callee twice
    /// (the plain call, then the pullback, which computes the value again). In FHessianVector the callee's
    /// Hessian-vector product plays the same part for a call and its tangent: one call gives the value, the partials
    /// (the tangent is their dot product with the arguments' tangents) and the second-order terms the reverse sweep
    /// of the tangent needs, where otherwise FTangent, the pullback and the Hessian-vector product would each run.
    /// Inside loops and branches the plain scheme stays: saving partials there would cost a stack per partial.
    /// </summary>
    internal sealed partial class BodyEmitter
    {
        private readonly Dictionary<IrStatement, EagerCall> _eager = new(ReferenceComparer<IrStatement>.Instance);

        /// <summary>The locals that hold a call's partial derivatives (and, with its tangent, H·ȧ), by parameter; null for a parameter the callee does not differentiate.</summary>
        private sealed class EagerCall
        {
            public EagerCall(string?[] partials, string?[]? products)
            {
                Partials = partials;
                Products = products;
            }

            public string?[] Partials { get; }

            public string?[]? Products { get; }
        }

        /// <summary>Chooses the eager calls among the top-level statements, before either sweep is written (in a fused body the reverse sweep of later statements is written first).</summary>
        private void PlanEagerCalls(EquatableArray<IrStatement> topLevel)
        {
            _eager.Clear();
            for (int at = 0; at < topLevel.Count; at++)
            {
                var s = topLevel[at];
                if (!_plan.TakesPartialsEagerly(s))
                {
                    continue;
                }

                var call = _program.Calls[s.Aux];
                if (at + 1 < topLevel.Count && IsItsTangent(s, topLevel[at + 1]))
                {
                    if (call.HessianVector is not null)
                    {
                        var entry = NewEagerCall(s, call, withProducts: true);
                        _eager[s] = entry;
                        _eager[topLevel[at + 1]] = entry;
                    }

                    continue; // without a Hessian-vector product the tangent's reverse sweep calls the pullback anyway
                }

                _eager[s] = NewEagerCall(s, call, withProducts: false);
            }
        }

        /// <summary>A call's tangent statement right after it, on the same arguments, with nothing saved between them.</summary>
        private bool IsItsTangent(IrStatement call, IrStatement tangent)
        {
            if (tangent.Kind != StmtKind.Assign || tangent.Op != Op.CallTangent || tangent.Aux != call.Aux || tangent.Args.Count != 2 * call.Args.Count
                || _plan[call].Save != SaveKind.None || _plan[tangent].Save != SaveKind.None || _plan.PushedBefore(tangent).Count > 0)
            {
                return false;
            }

            for (int i = 0; i < call.Args.Count; i++)
            {
                if (tangent.Args[i] != call.Args[i] || _program.Variables[tangent.Args[call.Args.Count + i]].Shape != Shape.Scalar)
                {
                    return false;
                }
            }

            return true;
        }

        private EagerCall NewEagerCall(IrStatement s, IrCall call, bool withProducts)
        {
            string callee = Last(call.Primal);
            var partials = new string?[s.Args.Count];
            var products = withProducts ? new string?[s.Args.Count] : null;
            for (int i = 0; i < s.Args.Count; i++)
            {
                if (!call.ActiveParameters[i])
                {
                    continue;
                }

                string parameter = Upper(callee) + Upper(call.ParameterName(i));
                partials[i] = SignatureReader_Unique("d" + parameter);
                if (products is not null)
                {
                    products[i] = SignatureReader_Unique("hv" + parameter);
                }
            }

            return new EagerCall(partials, products);
        }

        /// <summary>Forward sweep: <c>double q = GBackward(x, y, 1.0, ref dGX, ref dGY);</c> in place of <c>double q = G(x, y);</c>.</summary>
        private bool TryForwardEagerCall(SourceWriter w, IrStatement s, StatementInfo info)
        {
            if (!_eager.TryGetValue(s, out var eager) || eager.Products is not null)
            {
                return false;
            }

            var call = _program.Calls[s.Aux];
            var target = _program.Variables[s.Target];
            var arguments = new List<string>();
            foreach (int a in s.Args)
            {
                arguments.Add(Print(Fwd(a), _program.Variables[a].Type, Sym.Precedence.Lowest));
            }

            arguments.Add(Lit(1, target.Type));
            w.Line("// " + Last(call.Primal) + " and its partial derivatives in one call (its pullback, seed 1); the reverse sweep scales them.");
            for (int i = 0; i < s.Args.Count; i++)
            {
                if (eager.Partials[i] is { } partial)
                {
                    var type = _program.Variables[s.Args[i]].Type;
                    w.Line(MethodEmitter.TypeName(type) + " " + partial + " = " + Lit(0, type) + ";");
                    arguments.Add("ref " + partial);
                }
            }

            SaveBefore(w, info, Name(s.Target), target.Type);
            w.Line(Declaration(s) + Name(s.Target) + " = " + call.Backward + "(" + string.Join(", ", arguments) + ");");
            return true;
        }

        /// <summary>
        /// Forward sweep of FHessianVector: <c>double q = GHessianVector(x, xDot, out double dGX, out double hvGX);</c>
        /// and <c>double qDot = dGX * xDot;</c> in place of the call and its tangent.
        /// </summary>
        private bool TryForwardEagerCallWithTangent(SourceWriter w, IrStatement s, IrStatement tangent)
        {
            if (!_eager.TryGetValue(s, out var eager) || eager.Products is null)
            {
                return false;
            }

            var call = _program.Calls[s.Aux];
            int n = s.Args.Count;
            var arguments = new List<string>();
            foreach (int a in s.Args)
            {
                arguments.Add(Print(Fwd(a), _program.Variables[a].Type, Sym.Precedence.Lowest));
            }

            var outs = new List<string>();
            Sym sum = Sym.N(0);
            for (int i = 0; i < n; i++)
            {
                if (eager.Partials[i] is not { } partial)
                {
                    continue;
                }

                string type = MethodEmitter.TypeName(_program.Variables[s.Args[i]].Type);
                arguments.Add(Print(Fwd(tangent.Args[n + i]), _program.Variables[tangent.Args[n + i]].Type, Sym.Precedence.Lowest));
                outs.Add("out " + type + " " + partial);
                sum = Sym.Add(sum, Sym.Mul(Sym.V(partial), Fwd(tangent.Args[n + i])));
            }

            for (int i = 0; i < n; i++)
            {
                if (eager.Products![i] is { } product)
                {
                    outs.Add("out " + MethodEmitter.TypeName(_program.Variables[s.Args[i]].Type) + " " + product);
                }
            }

            arguments.AddRange(outs);
            w.Line("// " + Last(call.Primal) + ", its gradient and H·v in one call; the tangent follows from the gradient.");
            var tangentType = _program.Variables[tangent.Target].Type;
            w.Line(Declaration(s) + Name(s.Target) + " = " + call.HessianVector + "(" + string.Join(", ", arguments) + ");");
            w.Line(Declaration(tangent) + Name(tangent.Target) + " = " + sum.ToCSharp(tangentType) + ";");
            return true;
        }

        /// <summary>The type and a space when this assignment declares its target, else nothing.</summary>
        private string Declaration(IrStatement s)
        {
            var target = _program.Variables[s.Target];
            bool declare = target.Role == VarRole.Temp
                ? !IsHoisted(s.Target)
                : DeclaredAtDefinition(s.Target) && ReferenceEquals(_plan.Variables[s.Target].Definition, s);
            return declare ? MethodEmitter.TypeName(target.Type) + " " : string.Empty;
        }

        /// <summary>Reverse sweep of an eager call: each argument's adjoint gains g times the partial kept by the forward sweep.</summary>
        private bool TryReverseEagerCall(SourceWriter w, IrStatement s, Sym g)
        {
            if (!_eager.TryGetValue(s, out var eager))
            {
                return false;
            }

            var type = _program.Variables[s.Target].Type;
            g = NameIfShared(w, s, g, eager.Partials);
            for (int i = 0; i < s.Args.Count; i++)
            {
                if (eager.Partials[i] is { } partial)
                {
                    Accumulate(w, s.Args[i], Sym.Mul(g, Sym.V(partial)), type);
                }
            }

            return true;
        }

        /// <summary>Reverse sweep of an eager call's tangent: aᵢ gains g·(H·ȧ)ᵢ and ȧᵢ gains g·∂G/∂aᵢ, all kept by the forward sweep.</summary>
        private bool TryReverseEagerCallTangent(SourceWriter w, IrStatement s, Sym g)
        {
            if (!_eager.TryGetValue(s, out var eager) || eager.Products is null)
            {
                return false;
            }

            int n = s.Args.Count / 2;
            var type = _program.Variables[s.Target].Type;
            g = NameIfShared(w, s, g, eager.Partials);
            for (int i = 0; i < n; i++)
            {
                if (eager.Partials[i] is { } partial)
                {
                    Accumulate(w, s.Args[i], Sym.Mul(g, Sym.V(eager.Products[i]!)), type);
                    Accumulate(w, s.Args[n + i], Sym.Mul(g, Sym.V(partial)), type);
                }
            }

            return true;
        }

        /// <summary>An adjoint expression used by more than one argument gets a local first.</summary>
        private Sym NameIfShared(SourceWriter w, IrStatement s, Sym g, string?[] partials)
        {
            int uses = 0;
            foreach (var p in partials)
            {
                if (p is not null)
                {
                    uses++;
                }
            }

            if (uses < 2 || g is Atom or Num)
            {
                return g;
            }

            string name = SignatureReader_Unique("d" + AdjointStem(s.Target));
            var type = _program.Variables[s.Target].Type;
            w.Line(MethodEmitter.TypeName(type) + " " + name + " = " + g.ToCSharp(type) + ";");
            return Sym.V(name);
        }
    }
}
