using System;
using System.Reflection;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Forward mode through calls (issue 8): the tangent of a method that calls generated methods and [DerivativeOf]
    /// helpers must equal its reverse-mode gradient times the direction, and the closed form where there is one.
    /// </summary>
    public class ForwardCallTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            public static partial class C
            {
                [Differentiable]
                public static double Square(double x) => x * x;

                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                public static double Inner(double x, double y) => Math.Sin(x) * Square(y) + x;

                // Nested calls, a [DerivativeOf] helper, a call with an inactive argument, calls in a loop and a branch.
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                public static double Outer(double a, double b, [NoDiff] int n)
                {
                    double s = Inner(a, b) + DiffMath.NormalCdf(a - b) + Square(3.0);
                    for (int i = 0; i < n; i++)
                    {
                        s += Inner(s * 0.1, b) * DiffMath.Sigmoid(a * i);
                    }

                    if (s > 1)
                    {
                        s = Square(s) - Inner(1.0, a);
                    }

                    return s;
                }

                [Differentiable]
                public static double Weighted(ReadOnlySpan<double> w, double a) => w[0] * a + w[w.Length - 1] * a * a;

                // Span arguments: a generated callee and [DerivativeOf] reductions, one with an inactive span.
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                public static double Spans(double a, ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
                {
                    double s = DiffMath.Dot(w, x) * a + Weighted(w, a);
                    for (int i = 0; i < 2; i++)
                    {
                        s += DiffMath.LogSumExp(w) * DiffMath.Sum(x);
                    }

                    return s;
                }

                public static double SpansG(double[] p, double[] x, double[] g) => SpansGradient(p[0], p.AsSpan(1), x, out g[0], g.AsSpan(1));
                public static double SpansT(double[] p, double[] x, double[] v) { SpansTangent(p[0], p.AsSpan(1), x, v[0], v.AsSpan(1), out double t); return t; }

                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                public static double Bump(double x, double y) => Math.Exp(-x * x) * Math.Sin(y) + x * y * y;

                // Second order through calls: each call's Hessian-vector product gives its second-order terms.
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                public static double Composite(double a, double b)
                {
                    double s = Bump(a * b, a) + Bump(b, 2.0);
                    if (s > 0)
                    {
                        s = s * s;
                    }

                    return s + Bump(s, b);
                }

                public static double CompositeH(double a, double b, double[] h) => CompositeHessian(a, b, h);

                // Black–Scholes call price: dC/dS·v_S + dC/dσ·v_σ is delta·v_S + vega·v_σ; its Hessian holds gamma,
                // vanna and volga (second order through DiffMath.NormalCdf's hand-written NormalCdfHessianVector).
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                public static double Call(double s, double k, double t, double r, double sigma)
                {
                    double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * Math.Sqrt(t));
                    double d2 = d1 - sigma * Math.Sqrt(t);
                    return s * DiffMath.NormalCdf(d1) - k * Math.Exp(-r * t) * DiffMath.NormalCdf(d2);
                }

                public static double CallH(double[] p, double[] h) => CallHessian(p[0], p[1], p[2], p[3], p[4], h);
                public static double CallG(double[] p, double[] g) => CallGradient(p[0], p[1], p[2], p[3], p[4], out g[0], out g[1], out g[2], out g[3], out g[4]);

                // Every scalar DiffMath helper in Hessian mode, each through its hand-written FHessianVector.
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                public static double Helpers(double a, double b)
                {
                    return DiffMath.Sigmoid(a * b) + DiffMath.Softplus(a - b) * b + DiffMath.Relu(a + 2.0) * b * b
                        + DiffMath.LeakyRelu(b - a, 0.1 * a) + DiffMath.Erf(0.5 * a * b) + DiffMath.Erfc(b) * a
                        + DiffMath.NormalCdf(a - 0.3) * DiffMath.NormalPdf(b + a);
                }

                public static double HelpersH(double[] p, double[] h) => HelpersHessian(p[0], p[1], h);

                // Matrix arguments in forward mode go through the callee's FTangent (and spans through Inner's).
                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                public static double Quadratic(double[,] m, ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        for (int j = 0; j < x.Length; j++)
                        {
                            s += x[i] * m[i, j] * x[j];
                        }
                    }

                    return s;
                }

                [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                public static double Energy(double[,] m, double[] x, double a)
                {
                    return a * Quadratic(m, x) + Math.Sin(Quadratic(m, x) * x[0]) + Inner(a, x[1]);
                }

                public static double EnergyG(double[,] m, double[] x, double a, double[,] gm, double[] gx, out double ga) => EnergyGradient(m, x, a, gm, gx, out ga);
                public static double EnergyT(double[,] m, double[] x, double a, double[,] vm, double[] vx, double va) { EnergyTangent(m, x, a, vm, vx, va, out double t); return t; }
                public static double HelpersG(double[] p, double[] g) => HelpersGradient(p[0], p[1], out g[0], out g[1]);
            }
            """;

        private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Load(Source));

        private static MethodInfo Method(string name) => s_assembly.Value.GetType("C")!.GetMethod(name)!;

        [Theory]
        [InlineData(0.4, 0.9, 0)]
        [InlineData(0.4, 0.9, 3)]
        [InlineData(-1.3, 0.2, 5)]
        [InlineData(1.7, -0.6, 2)]
        public void TangentThroughCallsIsTheGradientTimesTheDirection(double a, double b, int n)
        {
            var gradientArgs = new object[] { a, b, n, 0.0, 0.0 };
            double value = (double)Method("OuterGradient").Invoke(null, gradientArgs)!;
            foreach (var (va, vb) in new[] { (1.0, 0.0), (0.0, 1.0), (0.7, -1.9) })
            {
                var tangentArgs = new object[] { a, b, n, va, vb, 0.0 };
                double tangentValue = (double)Method("OuterTangent").Invoke(null, tangentArgs)!;
                Numeric.Exact(value, tangentValue, "value");
                Numeric.Exact((double)gradientArgs[3] * va + (double)gradientArgs[4] * vb, (double)tangentArgs[5], "∇f·v along (" + va + ", " + vb + ")");
            }
        }

        [Fact]
        public void TangentThroughCallsWithSpanArgumentsIsTheGradientTimesTheDirection()
        {
            var p = new[] { 0.7, 0.3, -1.2, 2.1, 0.4 };
            var x = new[] { 1.5, -0.5, 0.25, 2.0 };
            var g = new double[p.Length];
            var gradient = (Func<double[], double[], double[], double>)Method("SpansG").CreateDelegate(typeof(Func<double[], double[], double[], double>));
            var tangent = (Func<double[], double[], double[], double>)Method("SpansT").CreateDelegate(typeof(Func<double[], double[], double[], double>));
            gradient(p, x, g);
            var random = new Random(5);
            for (int trial = 0; trial < 4; trial++)
            {
                var v = new double[p.Length];
                double expected = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = trial < p.Length - 1 ? (i == trial ? 1 : 0) : random.NextDouble() - 0.5;
                    expected += g[i] * v[i];
                }

                Numeric.Exact(expected, tangent(p, x, v), "∇f·v, direction " + trial);
            }
        }

        [Theory]
        [InlineData(0.3, 0.8)]
        [InlineData(-0.9, 0.4)]
        [InlineData(1.1, -0.7)]
        public void HessianThroughCallsMatchesDifferencesOfTheGradient(double a, double b)
        {
            var h = new double[4];
            var hessian = (Func<double, double, double[], double>)Method("CompositeH").CreateDelegate(typeof(Func<double, double, double[], double>));
            hessian(a, b, h);
            double[] Gradient(double x, double y)
            {
                var args = new object[] { x, y, 0.0, 0.0 };
                Method("CompositeGradient").Invoke(null, args);
                return new[] { (double)args[2], (double)args[3] };
            }

            for (int i = 0; i < 2; i++)
            {
                double step = 1e-5;
                var plus = Gradient(a + (i == 0 ? step : 0), b + (i == 1 ? step : 0));
                var minus = Gradient(a - (i == 0 ? step : 0), b - (i == 1 ? step : 0));
                for (int j = 0; j < 2; j++)
                {
                    double fd = (plus[j] - minus[j]) / (2 * step);
                    // Differences of an exact gradient: O(h²) truncation and ε·|g|/h rounding, both ≪ 1e-6 here.
                    Numeric.Close(fd, h[j * 2 + i], 1e-6 * (1 + Math.Abs(fd)), "H[" + j + "," + i + "]");
                }
            }

            Assert.Equal(h[1], h[2]);
        }

        [Theory]
        [InlineData(100.0, 95.0, 0.5, 0.03, 0.2)]
        [InlineData(80.0, 120.0, 2.0, 0.01, 0.35)]
        public void BlackScholesTangentsAreDeltaAndVega(double s, double k, double t, double r, double sigma)
        {
            double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * Math.Sqrt(t));
            double delta = NormalCdf(d1);
            double vega = s * Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI) * Math.Sqrt(t);
            var deltaArgs = new object[] { s, k, t, r, sigma, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
            Method("CallTangent").Invoke(null, deltaArgs);
            var vegaArgs = new object[] { s, k, t, r, sigma, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0 };
            Method("CallTangent").Invoke(null, vegaArgs);
            Numeric.Close(delta, (double)deltaArgs[10], 1e-12, "delta");
            Numeric.Close(vega, (double)vegaArgs[10], 1e-10 * vega, "vega");
        }

        [Theory]
        [InlineData(100.0, 95.0, 0.5, 0.03, 0.2)]
        [InlineData(80.0, 120.0, 2.0, 0.01, 0.35)]
        public void BlackScholesHessianHoldsGammaVannaAndVolga(double s, double k, double t, double r, double sigma)
        {
            // Closed forms: gamma = φ(d1)/(Sσ√T), vanna = −φ(d1)·d2/σ, volga = S·φ(d1)·√T·d1·d2/σ.
            double sqrtT = Math.Sqrt(t);
            double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * sqrtT);
            double d2 = d1 - sigma * sqrtT;
            double pdf = Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI);
            double gamma = pdf / (s * sigma * sqrtT), vanna = -pdf * d2 / sigma, volga = s * pdf * sqrtT * d1 * d2 / sigma;

            var p = new[] { s, k, t, r, sigma };
            var h = new double[25];
            Delegate<double[], double[]>("CallH")(p, h);
            Numeric.Close(gamma, h[0], 1e-12 * (1 + gamma), "gamma");
            Numeric.Close(vanna, h[4], 1e-12 * (1 + Math.Abs(vanna)), "vanna");
            Numeric.Close(volga, h[24], 1e-10 * (1 + Math.Abs(volga)), "volga");
            AgreesWithDifferencesOfTheGradient(Delegate<double[], double[]>("CallG"), p, h);
        }

        [Theory]
        [InlineData(0.3, 0.8)]
        [InlineData(-0.9, 0.4)]
        [InlineData(1.1, -0.7)]
        public void HessianThroughEveryScalarDiffMathHelperMatchesDifferencesOfTheGradient(double a, double b)
        {
            var p = new[] { a, b };
            var h = new double[4];
            Delegate<double[], double[]>("HelpersH")(p, h);
            AgreesWithDifferencesOfTheGradient(Delegate<double[], double[]>("HelpersG"), p, h);
        }

        /// <summary>
        /// H against central differences of the generated gradient, column by column, and symmetric. The step is
        /// relative to each coordinate (Black–Scholes mixes S ≈ 100 with r ≈ 0.03); differences of an exact gradient
        /// have O(h²) truncation and ε·|g|/h rounding, far below 1e-6 relative at h = 1e-5·(1 + |x|).
        /// </summary>
        private static void AgreesWithDifferencesOfTheGradient(Func<double[], double[], double> gradient, double[] p, double[] h)
        {
            int n = p.Length;
            for (int i = 0; i < n; i++)
            {
                double step = 1e-5 * (1 + Math.Abs(p[i]));
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[i] += step;
                minus[i] -= step;
                var gPlus = new double[n];
                var gMinus = new double[n];
                gradient(plus, gPlus);
                gradient(minus, gMinus);
                for (int j = 0; j < n; j++)
                {
                    double fd = (gPlus[j] - gMinus[j]) / (plus[i] - minus[i]);
                    Numeric.Close(fd, h[j * n + i], 1e-6 * (1 + Math.Abs(fd)), "H[" + j + "," + i + "]");
                    Assert.Equal(h[i * n + j], h[j * n + i]);
                }
            }
        }

        private static Func<T1, T2, double> Delegate<T1, T2>(string name) => (Func<T1, T2, double>)Method(name).CreateDelegate(typeof(Func<T1, T2, double>));

        [Fact]
        public void TangentThroughCallsWithMatrixArgumentsIsTheGradientTimesTheDirection()
        {
            var m = new[,] { { 0.8, -0.3, 0.2 }, { 0.1, 1.2, -0.5 }, { 0.4, 0.0, 0.9 } };
            var x = new[] { 0.5, -0.7, 0.3 };
            double a = 0.6;
            var gm = new double[3, 3];
            var gx = new double[3];
            var gradient = Method("EnergyG");
            var gradientArgs = new object[] { m, x, a, gm, gx, 0.0 };
            double value = (double)gradient.Invoke(null, gradientArgs)!;
            double ga = (double)gradientArgs[5];
            var random = new Random(17);
            for (int trial = 0; trial < 3; trial++)
            {
                var vm = new double[3, 3];
                var vx = new double[3];
                double expected = 0;
                for (int i = 0; i < 3; i++)
                {
                    vx[i] = random.NextDouble() - 0.5;
                    expected += gx[i] * vx[i];
                    for (int j = 0; j < 3; j++)
                    {
                        vm[i, j] = random.NextDouble() - 0.5;
                        expected += gm[i, j] * vm[i, j];
                    }
                }

                double va = random.NextDouble() - 0.5;
                expected += ga * va;
                double actual = (double)Method("EnergyT").Invoke(null, new object[] { m, x, a, vm, vx, va })!;
                Numeric.Exact(expected, actual, "∇f·v, direction " + trial);
            }

            Assert.True(value != 0);
            string energy = GeneratorHarness.Run(Source).Sources["C.Energy.g.cs"];
            string tangentCode = energy.Substring(energy.IndexOf("EnergyTangent(", StringComparison.Ordinal));
            Assert.Contains("QuadraticTangent(m, x, mDot, xDot, out ", tangentCode, StringComparison.Ordinal);
        }

        [Fact]
        public void TangentCodeCallsThePullbacksOnceEachAndCompilesCleanly()
        {
            var run = GeneratorHarness.Run(Source);
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Empty(run.CompileDiagnostics);
            string outer = run.Sources["C.Outer.g.cs"];
            string tangent = outer.Substring(outer.IndexOf("OuterTangent(", StringComparison.Ordinal));
            // Inner has DiffModes.Forward: its own FTangent is called, not its pullback.
            Assert.Contains("InnerTangent(", tangent, StringComparison.Ordinal);
            Assert.DoesNotContain("InnerBackward(", tangent, StringComparison.Ordinal);
            // DiffMath.NormalCdf has a hand-written NormalCdfTangent: one call gives the value and the tangent.
            Assert.Contains("NormalCdfTangent(", tangent, StringComparison.Ordinal);
            Assert.DoesNotContain("NormalCdfBackward(", tangent, StringComparison.Ordinal);
            // Square(3.0) has no active argument: it is called, not differentiated.
            Assert.DoesNotContain("SquareBackward(3.0", tangent, StringComparison.Ordinal);
        }

        /// <summary>Φ by the complementary error function, independently of DiffMath.</summary>
        private static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

        /// <summary>erfc(x) = 2/√π ∫ₓ^∞ e^(−u²) du by composite Simpson on [x, x + 12] (the tail beyond is below 1e-60).</summary>
        private static double Erfc(double x)
        {
            const int n = 24000; // h = 5e-4: Simpson's error ~ h⁴ · 12 · max|f⁽⁴⁾| / 180 ≈ 1e-13
            double h = 12.0 / n, sum = Math.Exp(-x * x) + Math.Exp(-(x + 12) * (x + 12));
            for (int i = 1; i < n; i++)
            {
                double u = x + i * h;
                sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-u * u);
            }

            return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
        }
    }
}
