using System.Collections.Generic;
using DiffGen.Generator.Ir;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// The chain rule for one three-address statement: which operand values the reverse sweep reads, and the
    /// partial derivative of the result with respect to each operand, as symbolic expressions. Choices at points
    /// where a derivative is undefined follow JAX and PyTorch and are listed in docs/derivative-rules.md.
    /// </summary>
    internal static class DerivativeRules
    {
        /// <summary>Whether the rule also reads the statement's own result (exp, tanh, sqrt..., and a/b through <see cref="UsesQuotient"/>).</summary>
        public static bool ReadsResult(ReversePlan plan, IrStatement s) => (s.Op == Op.Math && UsesResult(s)) || UsesQuotient(plan, s);

        /// <summary>
        /// a/b with both operands active, outside loops: the adjoints are g/b and −(g/b)·(a/b), so one division serves
        /// both and the quotient the forward sweep computed is read back (inside a loop reading it back would mean
        /// saving it, so there the rule stays g/b and −g·a/b²).
        /// </summary>
        public static bool UsesQuotient(ReversePlan plan, IrStatement s) => s.Op == Op.Div && s.Kind == StmtKind.Assign && s.Args.Count == 2
            && s.Args[0] != s.Args[1] && plan.IsActive(s.Args[0]) && plan.IsActive(s.Args[1]) && plan[s].LoopDepth == 0;

        /// <summary>
        /// Operands whose values (before the statement runs) the rule reads, added to <paramref name="reads"/> (a list
        /// the caller reuses: the save planner asks this of every statement in every round of its flow).
        /// </summary>
        public static List<int> OperandsRead(ReversePlan plan, IrStatement s, List<int> reads)
        {
            var a = s.Args;
            bool Active(int i) => i < a.Count && plan.IsActive(a[i]);
            if (plan.IsRunningExtremum(s))
            {
                return reads; // differentiated as a whole loop, through the index it keeps
            }

            switch (s.Op)
            {
                case Op.Mul:
                    if (Active(0))
                    {
                        reads.Add(a[1]);
                    }

                    if (Active(1))
                    {
                        reads.Add(a[0]);
                    }

                    break;
                case Op.Div:
                case Op.Rem:
                    if (Active(0) || Active(1))
                    {
                        reads.Add(a[1]);
                    }

                    if (Active(1))
                    {
                        reads.Add(a[0]);
                    }

                    break;
                case Op.Load:
                    for (int i = 1; i < a.Count; i++)
                    {
                        reads.Add(a[i]);
                    }

                    break;
                case Op.Call:
                case Op.CallTangent:
                    foreach (var arg in a)
                    {
                        reads.Add(arg);
                    }

                    break;
                case Op.Select:
                    reads.Add(a[0]);
                    break;
                case Op.Math:
                    // tan, tanh, exp, sqrt and cbrt differentiate through their result alone.
                    if (!(s.Function is MathFunction.Tan or MathFunction.Tanh or MathFunction.Exp or MathFunction.Sqrt or MathFunction.Cbrt))
                    {
                        foreach (var arg in a)
                        {
                            reads.Add(arg);
                        }
                    }

                    break;
            }

            return reads;
        }

        public static bool UsesResult(MathFunction f) => f is MathFunction.Tan or MathFunction.Tanh or MathFunction.Exp or MathFunction.Sqrt
            or MathFunction.Cbrt or MathFunction.Pow or MathFunction.Log;

        /// <summary>Log uses its result only in the two-argument form; that is the case <see cref="UsesResult"/> covers.</summary>
        public static bool UsesResult(IrStatement s) => UsesResult(s.Function) && !(s.Function == MathFunction.Log && s.Args.Count == 1);

        /// <summary>The partial derivative of <c>s</c> with respect to each operand (null where it is zero or the operand is inactive).</summary>
        public static Sym?[] Partials(IrStatement s, System.Func<int, Sym> value, Sym result, ScalarType type)
        {
            var a = s.Args;
            var p = new Sym?[a.Count];
            Sym V(int i) => value(a[i]);
            switch (s.Op)
            {
                case Op.Copy:
                case Op.Convert:
                    p[0] = Sym.One;
                    break;
                case Op.Neg:
                    p[0] = Sym.N(-1);
                    break;
                case Op.Add:
                    p[0] = Sym.One;
                    p[1] = Sym.One;
                    break;
                case Op.Sub:
                    p[0] = Sym.One;
                    p[1] = Sym.N(-1);
                    break;
                case Op.Mul:
                    p[0] = V(1);
                    p[1] = V(0);
                    break;
                case Op.Div:
                    // d(a/b) = da/b − a·db/b²
                    p[0] = Sym.Div(Sym.One, V(1));
                    p[1] = Sym.Neg(Sym.Div(V(0), Sym.Mul(V(1), V(1))));
                    break;
                case Op.Rem:
                    // a % b = a − trunc(a/b)·b
                    p[0] = Sym.One;
                    p[1] = Sym.Neg(Sym.Call(MathName(type) + ".Truncate", Sym.Div(V(0), V(1))));
                    break;
                case Op.Math:
                    MathPartials(s.Function, a.Count, V, result, type, p);
                    break;
                case Op.Select:
                    // c ? a : b passes the adjoint to the operand it chose.
                    string c = V(0).ToCSharp(ScalarType.Bool);
                    p[1] = Sym.Raw(c + " ? " + Sym.Literal(1, type) + " : " + Sym.Literal(0, type), Sym.Precedence.Conditional);
                    p[2] = Sym.Raw(c + " ? " + Sym.Literal(0, type) + " : " + Sym.Literal(1, type), Sym.Precedence.Conditional);
                    break;
            }

            return p;
        }

        private static string MathName(ScalarType type) => type == ScalarType.Float ? "MathF" : "Math";

        private static void MathPartials(MathFunction f, int arity, System.Func<int, Sym> v, Sym r, ScalarType type, Sym?[] p)
        {
            string m = MathName(type);
            Sym Call(string name, params Sym[] args) => Sym.Call(m + "." + name, args);
            Sym Sq(Sym x) => Sym.Mul(x, x);
            Sym One = Sym.One;
            Sym Cond(string text) => Sym.Raw(text, Sym.Precedence.Conditional);
            string T(Sym x) => x.ToCSharp(type);
            string Lit(double d) => Sym.Literal(d, type);
            switch (f)
            {
                case MathFunction.Sin:
                    p[0] = Call("Cos", v(0));
                    break;
                case MathFunction.Cos:
                    p[0] = Sym.Neg(Call("Sin", v(0)));
                    break;
                case MathFunction.Tan:
                    p[0] = Sym.Add(One, Sq(r));
                    break;
                case MathFunction.Asin:
                    p[0] = Sym.Div(One, Call("Sqrt", Sym.Sub(One, Sq(v(0)))));
                    break;
                case MathFunction.Acos:
                    p[0] = Sym.Neg(Sym.Div(One, Call("Sqrt", Sym.Sub(One, Sq(v(0))))));
                    break;
                case MathFunction.Atan:
                    p[0] = Sym.Div(One, Sym.Add(One, Sq(v(0))));
                    break;
                case MathFunction.Atan2:
                    // atan2(y, x): ∂y = x/(x² + y²), ∂x = −y/(x² + y²)
                    var norm = Sym.Add(Sq(v(1)), Sq(v(0)));
                    p[0] = Sym.Div(v(1), norm);
                    p[1] = Sym.Neg(Sym.Div(v(0), norm));
                    break;
                case MathFunction.Sinh:
                    p[0] = Call("Cosh", v(0));
                    break;
                case MathFunction.Cosh:
                    p[0] = Call("Sinh", v(0));
                    break;
                case MathFunction.Tanh:
                    p[0] = Sym.Sub(One, Sq(r));
                    break;
                case MathFunction.Asinh:
                    p[0] = Sym.Div(One, Call("Sqrt", Sym.Add(Sq(v(0)), One)));
                    break;
                case MathFunction.Acosh:
                    p[0] = Sym.Div(One, Call("Sqrt", Sym.Sub(Sq(v(0)), One)));
                    break;
                case MathFunction.Atanh:
                    p[0] = Sym.Div(One, Sym.Sub(One, Sq(v(0))));
                    break;
                case MathFunction.Exp:
                    p[0] = r;
                    break;
                case MathFunction.Log when arity == 1:
                    p[0] = Sym.Div(One, v(0));
                    break;
                case MathFunction.Log:
                    // log_b(a) = ln a / ln b: ∂a = 1/(a·ln b), ∂b = −log_b(a)/(b·ln b)
                    var lnB = Call("Log", v(1));
                    p[0] = Sym.Div(One, Sym.Mul(v(0), lnB));
                    p[1] = Sym.Neg(Sym.Div(r, Sym.Mul(v(1), lnB)));
                    break;
                case MathFunction.Log10:
                    p[0] = Sym.Div(Sym.N(0.43429448190325182), v(0));
                    break;
                case MathFunction.Log2:
                    p[0] = Sym.Div(Sym.N(1.4426950408889634), v(0));
                    break;
                case MathFunction.Sqrt:
                    p[0] = Sym.Div(Sym.N(0.5), r);
                    break;
                case MathFunction.Cbrt:
                    p[0] = Sym.Div(One, Sym.Mul(Sym.N(3), Sq(r)));
                    break;
                case MathFunction.Pow:
                    p[0] = PowBase(v(0), v(1), Call, Cond, T, Lit);
                    // ∂b = a^b·ln a; at a = 0 we take 0 (the limit from the right for b > 0), as JAX does.
                    p[1] = Cond(T(v(0)) + " == " + Lit(0) + " ? " + Lit(0) + " : " + T(Sym.Mul(r, Call("Log", v(0)))));
                    break;
                case MathFunction.Abs:
                    // sign(a), with 0 at a = 0 (PyTorch, JAX); NaN stays NaN.
                    p[0] = Cond(T(v(0)) + " > " + Lit(0) + " ? " + Lit(1) + " : " + T(v(0)) + " < " + Lit(0) + " ? " + Lit(-1) + " : " + T(v(0)) + " * " + Lit(0));
                    break;
                case MathFunction.Max or MathFunction.Min when v(0).Equals(v(1)):
                    p[0] = Sym.N(0.5);
                    p[1] = Sym.N(0.5);
                    break;
                case MathFunction.Max:
                case MathFunction.Min:
                    // The larger (smaller) operand gets the gradient; a tie splits it evenly, as in JAX and PyTorch.
                    string cmp = f == MathFunction.Max ? " > " : " < ";
                    p[0] = Cond(T(v(0)) + cmp + T(v(1)) + " ? " + Lit(1) + " : " + T(v(0)) + " == " + T(v(1)) + " ? " + Lit(0.5) + " : " + Lit(0));
                    p[1] = Cond(T(v(1)) + cmp + T(v(0)) + " ? " + Lit(1) + " : " + T(v(0)) + " == " + T(v(1)) + " ? " + Lit(0.5) + " : " + Lit(0));
                    break;
                case MathFunction.Clamp:
                    // Gradient passes to x inside [lo, hi] (bounds included, as in PyTorch), else to the bound that clamps.
                    p[0] = Cond(T(v(0)) + " >= " + T(v(1)) + " && " + T(v(0)) + " <= " + T(v(2)) + " ? " + Lit(1) + " : " + Lit(0));
                    p[1] = Cond(T(v(0)) + " < " + T(v(1)) + " ? " + Lit(1) + " : " + Lit(0));
                    p[2] = Cond(T(v(0)) + " > " + T(v(2)) + " ? " + Lit(1) + " : " + Lit(0));
                    break;
                case MathFunction.FusedMultiplyAdd:
                    p[0] = v(1);
                    p[1] = v(0);
                    p[2] = One;
                    break;
                case MathFunction.ScaleB:
                    p[0] = Call("ScaleB", One, Sym.Raw(v(1).ToCSharp(ScalarType.Int)));
                    break;
            }
        }

        /// <summary>∂(a^b)/∂a = b·a^(b−1), simplified when b is a literal (a² → 2·a); 0 when b = 0.</summary>
        private static Sym PowBase(Sym a, Sym b, System.Func<string, Sym[], Sym> call, System.Func<string, Sym> cond, System.Func<Sym, string> text, System.Func<double, string> lit)
        {
            if (b is Num n)
            {
                if (n.Value == 0)
                {
                    return Sym.Zero;
                }

                if (n.Value == 1)
                {
                    return Sym.One;
                }

                if (n.Value == 2)
                {
                    return Sym.Mul(Sym.N(2), a);
                }

                if (n.Value == 3)
                {
                    return Sym.Mul(Sym.N(3), Sym.Mul(a, a));
                }

                return Sym.Mul(b, call("Pow", new[] { a, Sym.N(n.Value - 1) }));
            }

            return cond(text(b) + " == " + lit(0) + " ? " + lit(0) + " : " + text(Sym.Mul(b, call("Pow", new[] { a, Sym.Sub(b, Sym.One) }))));
        }
    }
}
