using System;
using System.Globalization;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests.Differential
{
    /// <summary>
    /// Shrunk programs from differential-testing failures, each a bug that was fixed in the generator. They run the
    /// same check as the random campaign: the generated gradient against central finite differences.
    /// </summary>
    public class RegressionTests
    {
        [Theory]
        // A parameter overwritten inside a branch: its adjoint parameter accumulates for the caller and must not be reset.
        [InlineData("if (b > 0.5) { b = Math.Sin(a + b); } return b * b;")]
        // A buffer element overwritten with a function of its old value in a loop: the old value must be restored.
        [InlineData("Span<double> buf = stackalloc double[4]; buf[1] += a; for (int i = 0; i < w.Length; i++) { buf[i % 4] = Math.Log(1.0 + buf[i % 4] * buf[i % 4]) * b; } return buf[1];")]
        // x *= f(x) inside a branch: the product rule reads the old x, which must be saved.
        [InlineData("if (b > 0) { a *= Math.Tanh(a); } double v0 = a; return v0 + v0;")]
        // A conditional inside an expression in a loop: values computed before it are read after it.
        [InlineData("double s = 0; for (int i = 0; i < w.Length; i++) { s += Math.Tanh(Math.Atan2(Math.Atanh(0.9 * Math.Tanh(w[i])), 2.0 + Math.Cos(c > b ? c : b * 0.5))); } return s;")]
        // Negation of a negation must not print as a decrement.
        [InlineData("double v1 = (-(-Math.Atan(b))); return v1 * a;")]
        // Max of an operand with itself.
        [InlineData("return Math.Max(a * b, a * b) + c;")]
        // A constant condition keeps only the branch that runs.
        [InlineData("double r = a; if (1.708 > 0.168) { r = r * b; } else { r = Math.Atan2(Math.Atan(c), 2.0); } return r;")]
        // Descending counted loops run backwards as ascending ones (>= and > bounds).
        [InlineData("double p = 0; for (int k = w.Length - 1; k >= 0; k--) { p = p * a + w[k]; } return p * b;")]
        [InlineData("double s = 0; for (int k = w.Length - 1; k > 0; k--) { s += Math.Sin(w[k] * w[k - 1]) * c; } return s + a;")]
        // An inactive buffer element restored in the reverse sweep (later statements' rules read it): the restore
        // reads the element's index, which must be recomputed before it (found by a 100 000-program campaign).
        [InlineData("Span<double> buf = stackalloc double[4]; double v0 = a; for (int i = 0; i < w.Length; i++) { v0 += Math.Tanh(Math.Max(buf[i % 4] > w[i] ? buf[i % 4] : w[i] * 0.5, Math.Max(buf[i % 4], w[i]))); buf[i % 4] = 0.973 * i; } return v0 * v0;")]
        // A top-level temp (1.293 * b) pushed before a conditional in the same expression, after a loop that overwrites
        // c: the reverse sweep popped it with a second declaration (CS0128, 100 000-program campaign find).
        [InlineData("for (int i = 0; i < w.Length; i++) { c = c * 0.5; } return (1.293 * b) * (c > b ? c : b * 0.5) + c;")]
        [InlineData("int n0 = 0; while (n0 < 3) { c = c * 0.5; n0++; } return (1.293 * b) * (c > b ? c : b * 0.5) + c;")]
        // A bound that reads the counter itself (i < i) is not loop-invariant: it was hoisted before the loop, where i
        // does not exist (CS0103, fuzz-campaign find).
        [InlineData("double s = a * b; for (int i = 0; i < i; i++) { s += c; } return s + c;")]
        // The same warning (CS1718) for other comparisons of a name with itself, found by a scan of the generated code.
        [InlineData("double s = a; if (b >= b) { s = s * c; } if (c != c) { s = 0; } return s;")]
        // A fused loop carrying dW[i + 1] into the next iteration stores dW[i] in FGradient only when nothing else adds
        // into dW first: plain; an element read before the loop (its reverse sweep runs later); after the loop (runs
        // earlier); under a branch in the loop; at another index in the loop.
        [InlineData("double s = 0; for (int i = 0; i < w.Length - 1; i++) { double t = w[i + 1] - w[i] * w[i]; s += t * t * a + w[i] * b; } return s;")]
        [InlineData("double s = w[0] * c; for (int i = 0; i < w.Length - 1; i++) { double t = w[i + 1] - w[i] * w[i]; s += t * t * a; } return s;")]
        [InlineData("double s = 0; for (int i = 0; i < w.Length - 1; i++) { double t = w[i + 1] - w[i] * w[i]; s += t * t * a; } return s + w[1] * b;")]
        [InlineData("double s = 0; for (int i = 0; i < w.Length - 1; i++) { double t = w[i + 1] - w[i] * w[i]; s += t * t * a; if (c > 0) { s += w[i] * b; } } return s;")]
        [InlineData("double s = 0; for (int i = 0; i < w.Length - 2; i++) { double t = w[i + 1] - w[i] * w[i + 2]; s += t * t * a; } return s;")]
        // A fused loop (each iteration's reverse sweep right after it) restored an overwritten value its rules read, and
        // the next iteration started from the restored value: an inactive factor carried across iterations, and a
        // buffer element read four iterations after it is written (differential campaign, seed 20261204, program 4585).
        [InlineData("double k = 1.5; double s = 0; for (int i = 0; i < w.Length; i++) { s += w[i] * k * a; k = k * 0.5; } return s + b;")]
        [InlineData("double k = 1.5; double s = 0; for (int i = 0; i < w.Length; i++) { s += Math.Sin(w[i] * k) * a; k = k * 0.5 + 0.25; } return s + b;")]
        [InlineData("Span<double> buf = stackalloc double[4]; a = Math.Sin(Math.Atan(Math.Cos(1.208))); for (int i = 0; i < w.Length; i++) { c += Math.Tanh(Math.Max(Math.Asinh(b), (w[i] * buf[i % 4]))); buf[i % 4] = 1.311 * a; } return a + c + buf[0];")]
        public void ShrunkProgramHasCorrectGradient(string body)
        {
            string source = "using System;\nusing DiffGen;\npublic static partial class Regression\n{\n"
                + "    [Differentiable]\n    public static double F(double a, double b, double c, ReadOnlySpan<double> w)\n    {\n        " + body + "\n    }\n"
                + "    public static double P(double[] x) => F(x[0], x[1], x[2], x.AsSpan(3));\n"
                + "    public static double G(double[] x, double[] g) => FGradient(x[0], x[1], x[2], x.AsSpan(3), out g[0], out g[1], out g[2], g.AsSpan(3));\n}\n";
            var type = GeneratorHarness.Load(source).GetType("Regression")!;
            var primal = (Func<double[], double>)type.GetMethod("P")!.CreateDelegate(typeof(Func<double[], double>));
            var gradient = (Func<double[], double[], double>)type.GetMethod("G")!.CreateDelegate(typeof(Func<double[], double[], double>));
            foreach (var x in new[] { new[] { 0.7, 0.9, -0.4, 0.3, -1.1, 0.8 }, new[] { -0.6, 0.2, 1.3, -0.5, 0.4, 1.2 }, new[] { 1.1, -0.8, 0.5, 0.9, 0.1, -0.7 } })
            {
                var (ok, _, message) = DifferentialTests.Check(primal, gradient, x);
                Assert.True(ok, message + " at " + string.Join(", ", Array.ConvertAll(x, v => v.ToString(CultureInfo.InvariantCulture))));
            }
        }

        /// <summary>
        /// FGradient of a chained sum (Rosenbrock) stores every element of dX instead of clearing it first; the buffer
        /// starts full of NaN here, so an element the generated code forgot would show. Lengths 0 and 1 run no
        /// iteration (the buffer must still come back zeroed), 2 runs one.
        /// </summary>
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(5)]
        public void StoredGradientCoversEveryElement(int n)
        {
            const string source = """
                using System;
                using DiffGen;
                public static partial class Chain
                {
                    [Differentiable]
                    public static double F(ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        for (int i = 0; i < x.Length - 1; i++)
                        {
                            double t = x[i + 1] - x[i] * x[i];
                            double u = 1 - x[i];
                            sum += 100 * t * t + u * u;
                        }

                        return sum;
                    }

                    public static double G(double[] x, double[] d) => FGradient(x, d);
                }
                """;
            var type = GeneratorHarness.Load(source).GetType("Chain")!;
            var x = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = 0.3 * i - 0.7;
            }

            var d = new double[n];
            Array.Fill(d, double.NaN);
            type.GetMethod("G")!.Invoke(null, new object[] { x, d });
            var expected = new double[n];
            for (int i = 0; i + 1 < n; i++)
            {
                double t = x[i + 1] - x[i] * x[i];
                expected[i] += -400 * x[i] * t - 2 * (1 - x[i]);
                expected[i + 1] += 200 * t;
            }

            Numeric.Exact(expected, d, "closed-form Rosenbrock gradient");
        }

        /// <summary>
        /// Horner's rule, p = p·x + c[k], in Hessian mode: the reverse sweep over the tangent resets the adjoint of p and
        /// then adds into it in each iteration; the generated code assigns it instead (dP = dT·x, not dP = 0.0;
        /// dP += dT·x). Along the direction ẋ = 1, ċ = 0 the Hessian-vector product must stay exact:
        /// (H·v)_c[k] = k·x^(k−1) and (H·v)_x = p″(x).
        /// </summary>
        [Fact]
        public void HornerAdjointIsAssignedNotResetAndAdded()
        {
            const string source = """
                using System;
                using DiffGen;
                public static partial class Horner
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double F(ReadOnlySpan<double> c, double x)
                    {
                        double p = c[c.Length - 1];
                        for (int k = c.Length - 2; k >= 0; k--)
                        {
                            p = p * x + c[k];
                        }

                        return p;
                    }

                    public static double H(double[] c, double x, double[] hvC, out double hvX)
                        => FHessianVector(c, x, new double[c.Length], 1.0, new double[c.Length], out _, hvC, out hvX);
                }
                """;
            string code = GeneratorHarness.Run(source).Source("Horner.F.g.cs");
            Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"^\s*dP = 0\.0;$", System.Text.RegularExpressions.RegexOptions.Multiline), code);
            var type = GeneratorHarness.Load(source).GetType("Horner")!;
            double[] c = { 0.5, -1.25, 2.0, 0.75 };
            double x = 1.3;
            var hvC = new double[c.Length];
            var args = new object?[] { c, x, hvC, 0.0 };
            type.GetMethod("H")!.Invoke(null, args);
            var expected = new double[c.Length];
            double second = 0;
            for (int k = 1; k < c.Length; k++)
            {
                expected[k] = k * Math.Pow(x, k - 1);
                second += k * (k - 1) * c[k] * Math.Pow(x, Math.Max(k - 2, 0));
            }

            Numeric.Exact(expected, hvC, "(H·v)_c[k] = k·x^(k−1)");
            Numeric.Exact(second, (double)args[3]!, "(H·v)_x = p″(x)");
        }

        /// <summary>
        /// Hessian mode, c += tanh(a) in a loop that also overwrites b: in the tangent program tanh(a) is read by the
        /// group of c += … and by the earlier group of its tangent, so the forward sweep pushes it at the later group;
        /// that group has nothing to differentiate (c's own adjoint there is zero), and the reverse sweep skipped it,
        /// pop included: tanh was undefined (CS0103) and every later pop one value off. Found when the differential
        /// test began checking FHessianVector. f = n·tanh(a) + sinⁿ(b), checked against its exact derivatives.
        /// </summary>
        [Fact]
        public void AGroupWithNothingToDifferentiateStillPopsWhatItsTempsPushed()
        {
            const string source = """
                using System;
                using DiffGen;
                public static partial class Popped
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double F(double a, double b, [NoDiff] ReadOnlySpan<double> w)
                    {
                        double c = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            c += Math.Tanh(a);
                            b = Math.Sin(b);
                        }

                        return c + b;
                    }

                    public static double H(double a, double b, double[] w, double aDot, double bDot, double[] outputs)
                        => FHessianVector(a, b, w, aDot, bDot, out outputs[0], out outputs[1], out outputs[2], out outputs[3]);
                }
                """;
            var type = GeneratorHarness.Load(source).GetType("Popped")!;
            double a = 0.4, b = 1.1, aDot = 0.7, bDot = -1.3;
            var w = new double[3];
            var outputs = new double[4];
            double value = (double)type.GetMethod("H")!.Invoke(null, new object[] { a, b, w, aDot, bDot, outputs })!;

            // sinⁿ(b) with its first and second derivatives carried along (y, y′, y″).
            double y = b, y1 = 1, y2 = 0;
            for (int k = 0; k < w.Length; k++)
            {
                (y, y1, y2) = (Math.Sin(y), Math.Cos(y) * y1, (-Math.Sin(y) * y1 * y1) + (Math.Cos(y) * y2));
            }

            double t = Math.Tanh(a);
            Numeric.Exact(w.Length * t + y, value, "value");
            Numeric.Exact(w.Length * (1 - t * t), outputs[0], "∂f/∂a = n·(1 − tanh²a)");
            Numeric.Exact(y1, outputs[1], "∂f/∂b");
            Numeric.Exact(w.Length * -2 * t * (1 - t * t) * aDot, outputs[2], "(H·v)_a = n·tanh″(a)·v_a");
            Numeric.Exact(y2 * bDot, outputs[3], "(H·v)_b = (sinⁿ)″(b)·v_b");
        }

        /// <summary>
        /// Hessian mode, the tangent of a call in a loop (Sq with a [DerivativeOf] pullback and a hand-written
        /// HessianVector): the reverse sweep pops it, but the forward sweep never pushed it, so every pop after it was
        /// one value off and the last ran off the stack (IndexOutOfRangeException). Differential-test find, as above.
        /// f = Σₖ tanh(tanh(xₖ)²) with xₖ₊₁ = xₖ/2 + 0.1, checked against its exact derivatives.
        /// </summary>
        [Fact]
        public void TheTangentOfACallIsPushedWhenTheReverseSweepPopsIt()
        {
            const string source = """
                using System;
                using DiffGen;
                public static partial class Pushed
                {
                    public static double Sq(double x) => x * x;

                    [DerivativeOf(nameof(Sq))]
                    public static double SqBackward(double x, double seed, ref double dX) { dX += 2 * x * seed; return x * x; }

                    public static double SqHessianVector(double x, double xDot, out double dX, out double hvX) { dX = 2 * x; hvX = 2 * xDot; return x * x; }

                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double F(double x, [NoDiff] ReadOnlySpan<double> w)
                    {
                        double s = 0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            s += Math.Tanh(Sq(Math.Tanh(x)));
                            x = x * 0.5 + 0.1;
                        }

                        return s;
                    }

                    public static double H(double x, double[] w, double xDot, double[] outputs)
                        => FHessianVector(x, w, xDot, out outputs[0], out outputs[1]);
                }
                """;
            var type = GeneratorHarness.Load(source).GetType("Pushed")!;
            double x0 = 0.8, xDot = 1.7;
            var w = new double[4];
            var outputs = new double[2];
            double value = (double)type.GetMethod("H")!.Invoke(null, new object[] { x0, w, xDot, outputs })!;

            double f = 0, f1 = 0, f2 = 0, x = x0, scale = 1;
            for (int k = 0; k < w.Length; k++)
            {
                double u = Math.Tanh(x), u1 = 1 - (u * u), u2 = -2 * u * u1;
                double q = u * u, q1 = 2 * u * u1, q2 = (2 * u1 * u1) + (2 * u * u2);
                double t = Math.Tanh(q), t1 = (1 - (t * t)) * q1, t2 = (-2 * t * (1 - (t * t)) * q1 * q1) + ((1 - (t * t)) * q2);
                f += t;
                f1 += t1 * scale;
                f2 += t2 * scale * scale;
                x = (x * 0.5) + 0.1;
                scale *= 0.5;
            }

            Numeric.Exact(f, value, "value");
            Numeric.Exact(f1, outputs[0], "f′(x₀)");
            Numeric.Exact(f2 * xDot, outputs[1], "f″(x₀)·ẋ");
        }

        /// <summary>
        /// A parameter named like a framework type the generated code uses (MathF) makes the generator qualify the
        /// framework's names; the parameter's own MathF.GetLength(0) was qualified too (CS0117, fuzz-campaign find).
        /// </summary>
        [Fact]
        public void ParameterNamedLikeAFrameworkTypeKeepsItsMembers()
        {
            const string source = """
                using System;
                using DiffGen;
                public static partial class Shadow
                {
                    [Differentiable]
                    public static double F(double x, double[,] MathF) => x * MathF.GetLength(0) + System.MathF.Sqrt(2f) * x * x;

                    public static double G(double x, double[,] m, out double dX) => FGradient(x, m, out dX, new double[m.GetLength(0), m.GetLength(1)]);
                }
                """;
            var type = GeneratorHarness.Load(source).GetType("Shadow")!;
            var args = new object?[] { 1.5, new double[3, 2], 0.0 };
            type.GetMethod("G")!.Invoke(null, args);
            Numeric.Exact(3 + 2 * MathF.Sqrt(2f) * 1.5, (double)args[2]!, "dX = 3 + 2·√2·x");
        }
    }
}