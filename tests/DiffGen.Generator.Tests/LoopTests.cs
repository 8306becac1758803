using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Loops (issue 3): the models of the issue (polynomial fit, 2→16→1 tanh network, stable softmax
    /// cross-entropy, projectile with drag over 1000 Euler steps, Newton's square root) and the loop constructs
    /// (break, continue, do/while, while with a data-dependent trip count, foreach, branches in the body, return in
    /// the body, bounds from parameters). References: closed forms where they exist, otherwise the recurrence
    /// re-stated with forward-mode <see cref="Dual"/> numbers; always also central finite differences.
    /// Spans cannot pass through reflection, so each model has a small driver taking double[] in the compiled source.
    /// </summary>
    public class LoopTests
    {
        internal const string Source = """
            using System;
            using DiffGen;

            namespace Loops
            {
                public static partial class M
                {
                    public const int Hidden = 16;

                    // ---- Least-squares polynomial fit ----
                    [Differentiable]
                    public static double PolyLoss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
                    {
                        double total = 0.0;
                        for (int i = 0; i < xs.Length; i++)
                        {
                            double p = 0.0;
                            double xPow = 1.0;
                            for (int k = 0; k < c.Length; k++)
                            {
                                p += c[k] * xPow;
                                xPow *= xs[i];
                            }

                            double r = p - ys[i];
                            total += r * r;
                        }

                        return total / xs.Length;
                    }

                    public static double PolyLossValue(double[] c, double[] xs, double[] ys) => PolyLoss(c, xs, ys);

                    public static double PolyLossGrad(double[] c, double[] xs, double[] ys, double[] dC) => PolyLossGradient(c, xs, ys, dC);

                    public static double PolyLossBack(double[] c, double[] xs, double[] ys, double seed, double[] dC) => PolyLossBackward(c, xs, ys, seed, dC);

                    // ---- Two-layer tanh network 2 → 16 → 1 with a local hidden buffer, squared loss ----
                    [Differentiable]
                    public static double NetLoss(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, double b2,
                        [NoDiff] ReadOnlySpan<double> x, [NoDiff] double target)
                    {
                        double[] h = new double[Hidden];
                        for (int j = 0; j < Hidden; j++)
                        {
                            double a = b1[j];
                            for (int i = 0; i < 2; i++)
                            {
                                a += w1[j * 2 + i] * x[i];
                            }

                            h[j] = Math.Tanh(a);
                        }

                        double y = b2;
                        for (int j = 0; j < Hidden; j++)
                        {
                            y += w2[j] * h[j];
                        }

                        double e = y - target;
                        return 0.5 * e * e;
                    }

                    public static double NetLossValue(double[] w1, double[] b1, double[] w2, double b2, double[] x, double target) => NetLoss(w1, b1, w2, b2, x, target);

                    public static double NetLossGrad(double[] w1, double[] b1, double[] w2, double b2, double[] x, double target,
                        double[] dW1, double[] dB1, double[] dW2, double[] dB2)
                        => NetLossGradient(w1, b1, w2, b2, x, target, dW1, dB1, dW2, out dB2[0]);

                    // ---- Numerically stable softmax cross-entropy ----
                    [Differentiable]
                    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, [NoDiff] int label)
                    {
                        double max = logits[0];
                        for (int i = 1; i < logits.Length; i++)
                        {
                            if (logits[i] > max)
                            {
                                max = logits[i];
                            }
                        }

                        double sum = 0.0;
                        for (int i = 0; i < logits.Length; i++)
                        {
                            sum += Math.Exp(logits[i] - max);
                        }

                        return Math.Log(sum) + max - logits[label];
                    }

                    public static double SoftmaxCrossEntropyValue(double[] logits, int label) => SoftmaxCrossEntropy(logits, label);

                    public static double SoftmaxCrossEntropyGrad(double[] logits, int label, double[] dLogits) => SoftmaxCrossEntropyGradient(logits, label, dLogits);

                    // ---- Projectile with drag, exactly 1000 explicit Euler steps; landing point by interpolation ----
                    [Differentiable]
                    public static double Landing(double speed, double angle, double drag)
                    {
                        const double G = 9.81;
                        const double Dt = 0.005;
                        double x = 0.0, y = 0.0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        double landing = 0.0;
                        bool landed = false;
                        for (int step = 0; step < 1000; step++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            double xNext = x + Dt * vx;
                            double yNext = y + Dt * vy;
                            if (!landed && yNext < 0.0)
                            {
                                landing = x + (xNext - x) * y / (y - yNext);
                                landed = true;
                            }

                            x = xNext;
                            y = yNext;
                            vx -= Dt * drag * v * vx;
                            vy -= Dt * (G + drag * v * vy);
                        }

                        return landing;
                    }

                    // ---- The same projectile stopping with break at the first step below ground ----
                    [Differentiable]
                    public static double LandingWithBreak(double speed, double angle, double drag)
                    {
                        double x = 0.0, y = 0.0, xPrev = 0.0, yPrev = 0.0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        for (int step = 0; step < 1000; step++)
                        {
                            xPrev = x;
                            yPrev = y;
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            x += 0.005 * vx;
                            y += 0.005 * vy;
                            vx -= 0.005 * drag * v * vx;
                            vy -= 0.005 * (9.81 + drag * v * vy);
                            if (y < 0.0)
                            {
                                break;
                            }
                        }

                        return xPrev + (x - xPrev) * yPrev / (yPrev - y);
                    }

                    // ---- The same projectile returning from inside the loop ----
                    [Differentiable]
                    public static double LandingWithReturn(double speed, double angle, double drag)
                    {
                        const double G = 9.81;
                        const double Dt = 0.005;
                        double x = 0.0, y = 0.0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        for (int step = 0; step < 1000; step++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            double xNext = x + Dt * vx;
                            double yNext = y + Dt * vy;
                            if (yNext < 0.0)
                            {
                                return x + (xNext - x) * y / (y - yNext);
                            }

                            x = xNext;
                            y = yNext;
                            vx -= Dt * drag * v * vx;
                            vy -= Dt * (G + drag * v * vy);
                        }

                        return x;
                    }

                    // ---- Newton iteration for √a with a data-dependent while loop ----
                    [Differentiable]
                    public static double NewtonSqrt(double a)
                    {
                        double x = a > 1.0 ? a : 1.0;
                        int iterations = 0;
                        while (Math.Abs(x * x - a) > 1e-14 * a && iterations < 100)
                        {
                            x = 0.5 * (x + a / x);
                            iterations++;
                        }

                        return x;
                    }

                    // ---- break / continue / do-while / while ----
                    [Differentiable]
                    public static double GrowUntil(double x)
                    {
                        double s = x;
                        for (int i = 0; i < 100; i++)
                        {
                            s = s * 1.5;
                            if (s > 10.0)
                            {
                                break;
                            }
                        }

                        return s * x;
                    }

                    [Differentiable]
                    public static double SumUntilLimit(ReadOnlySpan<double> w, [NoDiff] double limit)
                    {
                        double sum = 0.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            sum += w[i] * w[i];
                            if (sum > limit)
                            {
                                break;
                            }
                        }

                        return sum;
                    }

                    public static double SumUntilLimitValue(double[] w, double limit) => SumUntilLimit(w, limit);

                    public static double SumUntilLimitGrad(double[] w, double limit, double[] dW) => SumUntilLimitGradient(w, limit, dW);

                    [Differentiable]
                    public static double SkipSome(ReadOnlySpan<double> w)
                    {
                        double s = 0.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            if (w[i] < 0.0)
                            {
                                continue;
                            }

                            if (i % 3 == 2)
                            {
                                continue;
                            }

                            s += Math.Sin(w[i]) * w[i];
                        }

                        return s;
                    }

                    public static double SkipSomeValue(double[] w) => SkipSome(w);

                    public static double SkipSomeGrad(double[] w, double[] dW) => SkipSomeGradient(w, dW);

                    [Differentiable]
                    public static double FixedPoint(double x)
                    {
                        double y = x;
                        int n = 0;
                        do
                        {
                            y = Math.Sin(y) + x;
                            n++;
                        }
                        while (n < 5);
                        return y;
                    }

                    [Differentiable]
                    public static double HalveWhileLarge(double x)
                    {
                        double y = x;
                        double acc = 0.0;
                        do
                        {
                            acc += y * y;
                            y *= 0.5;
                        }
                        while (y > 1.0);
                        return acc;
                    }

                    [Differentiable]
                    public static double WhileGrow(double x, double y)
                    {
                        int k = 0;
                        while (x < 100.0 && k < 50)
                        {
                            x = x * 1.7 + y;
                            k++;
                        }

                        return x;
                    }

                    [Differentiable]
                    public static double PowerSum(double x, int n)
                    {
                        double s = 0.0;
                        double p = 1.0;
                        for (int i = 0; i < n; i++)
                        {
                            p *= x;
                            s += p;
                        }

                        return s;
                    }

                    // ---- foreach ----
                    [Differentiable]
                    public static double ForeachCubes(ReadOnlySpan<double> w)
                    {
                        double s = 0.0;
                        foreach (var v in w)
                        {
                            s += v * v * v;
                        }

                        return s;
                    }

                    public static double ForeachCubesValue(double[] w) => ForeachCubes(w);

                    public static double ForeachCubesGrad(double[] w, double[] dW) => ForeachCubesGradient(w, dW);

                    [Differentiable]
                    public static double ForeachHorner(double[] w, double x)
                    {
                        double s = 0.0;
                        foreach (double v in w)
                        {
                            s = s * x + v;
                        }

                        return s;
                    }

                    public static double ForeachHornerGrad(double[] w, double x, double[] dW, double[] dX) => ForeachHornerGradient(w, x, dW, out dX[0]);

                    // ---- a loop whose body branches, with loop-carried state ----
                    [Differentiable]
                    public static double BranchyLoop(ReadOnlySpan<double> w)
                    {
                        double s = 1.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            if (w[i] > 0.0)
                            {
                                s = s * w[i] + 1.0;
                            }
                            else if (s > 2.0)
                            {
                                s = s - w[i] * s * 0.5;
                            }
                            else
                            {
                                s = Math.Exp(w[i]) + s;
                            }
                        }

                        return s * s;
                    }

                    public static double BranchyLoopValue(double[] w) => BranchyLoop(w);

                    public static double BranchyLoopGrad(double[] w, double[] dW) => BranchyLoopGradient(w, dW);

                    // ---- triangular nested loops (inner bound from the outer index) ----
                    [Differentiable]
                    public static double Triangle(ReadOnlySpan<double> w)
                    {
                        double s = 0.0;
                        for (int i = 0; i < w.Length; i++)
                        {
                            for (int j = 0; j <= i; j++)
                            {
                                s += w[i] * w[j];
                            }
                        }

                        return s;
                    }

                    public static double TriangleValue(double[] w) => Triangle(w);

                    public static double TriangleGrad(double[] w, double[] dW) => TriangleGradient(w, dW);

                    // ---- small shapes that isolate what the integrators do ----
                    [Differentiable]
                    public static double LocalDeclaredInLoop(double a, double b)
                    {
                        double s = 1.0;
                        for (int i = 0; i < 3; i++)
                        {
                            double t = s + 2.0 * a;
                            s = t * b;
                        }

                        return s;
                    }

                    [Differentiable]
                    public static double ValueCapturedInBranchInLoop(double a)
                    {
                        double x = 0.0;
                        double hit = 0.0;
                        for (int i = 0; i < 4; i++)
                        {
                            double xNext = x + a;
                            if (i == 1)
                            {
                                hit = xNext * x;
                            }

                            x = xNext;
                        }

                        return hit;
                    }

                    [Differentiable]
                    public static double InterpolatedCrossing(double a, double b)
                    {
                        double x = 0.0, y = 1.0;
                        double hit = 0.0;
                        bool done = false;
                        for (int i = 0; i < 6; i++)
                        {
                            double xNext = x + a;
                            double yNext = y - b;
                            if (!done && yNext < 0.0)
                            {
                                hit = x + (xNext - x) * y / (y - yNext);
                                done = true;
                            }

                            x = xNext;
                            y = yNext;
                        }

                        return hit;
                    }

                    // ---- more loop shapes ----
                    [Differentiable]
                    public static double RepeatedSquaring(double x, int n)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            x = x * x;
                        }

                        return x;
                    }

                    [Differentiable]
                    public static double BreakInInnerLoop(ReadOnlySpan<double> w, [NoDiff] int rows, [NoDiff] double cap)
                    {
                        int cols = w.Length / rows;
                        double total = 0.0;
                        for (int r = 0; r < rows; r++)
                        {
                            double rowSum = 0.0;
                            for (int c = 0; c < cols; c++)
                            {
                                rowSum += w[r * cols + c] * w[r * cols + c];
                                if (rowSum > cap)
                                {
                                    break;
                                }
                            }

                            total += Math.Sqrt(rowSum);
                        }

                        return total;
                    }

                    public static double BreakInInnerLoopValue(double[] w, int rows, double cap) => BreakInInnerLoop(w, rows, cap);

                    public static double BreakInInnerLoopGrad(double[] w, int rows, double cap, double[] dW) => BreakInInnerLoopGradient(w, rows, cap, dW);

                    [Differentiable]
                    public static double WhileBreakContinue(ReadOnlySpan<double> w)
                    {
                        int i = 0;
                        double s = 0.0;
                        while (true)
                        {
                            if (i >= w.Length)
                            {
                                break;
                            }

                            double v = w[i];
                            i++;
                            if (v < 0.0)
                            {
                                continue;
                            }

                            s = s * 0.5 + v * v;
                        }

                        return s;
                    }

                    public static double WhileBreakContinueValue(double[] w) => WhileBreakContinue(w);

                    public static double WhileBreakContinueGrad(double[] w, double[] dW) => WhileBreakContinueGradient(w, dW);

                    [Differentiable]
                    public static double ReluLayer(ReadOnlySpan<double> w, [NoDiff] ReadOnlySpan<double> x)
                    {
                        double s = 0.0;
                        for (int j = 0; j < w.Length; j++)
                        {
                            double a = w[j] * x[j] - 0.25;
                            s += Math.Max(a, 0.0) + (a > 1.0 ? a * a : 0.0);
                        }

                        return s;
                    }

                    public static double ReluLayerGrad(double[] w, double[] x, double[] dW) => ReluLayerGradient(w, x, dW);

                    [Differentiable]
                    public static double LogSumExpRows(ReadOnlySpan<double> logits, [NoDiff] int rows)
                    {
                        double total = 0.0;
                        for (int r = 0; r < rows; r++)
                        {
                            total += DiffMath.LogSumExp(logits) * (r + 1);
                        }

                        return total;
                    }

                    public static double LogSumExpRowsGrad(double[] logits, int rows, double[] d) => LogSumExpRowsGradient(logits, rows, d);

                    // ---- a dot product: the loop-carried sum needs no saved values ----
                    [Differentiable]
                    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
                    {
                        double sum = 0.0;
                        for (int i = 0; i < a.Length; i++)
                        {
                            sum += a[i] * b[i];
                        }

                        return sum;
                    }

                    public static double DotGrad(double[] a, double[] b, double[] dA, double[] dB) => DotGradient(a, b, dA, dB);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static Compiled Model => s_model.Value;

        private const string T = "Loops.M";

        /// <summary>
        /// Tolerance against a <see cref="Dual"/> reference: the same arithmetic in another association order, over at
        /// most a few thousand operations, so 1e-9 relative leaves a wide margin over rounding.
        /// </summary>
        private static void DualClose(double expected, double actual, string what) =>
            Numeric.Close(expected, actual, 1e-9 * Math.Max(1, Math.Abs(expected)), what);

        // ================= Polynomial fit =================

        private static readonly double[] s_xs = { -1.0, -0.5, 0.0, 0.3, 0.8, 1.2, 2.0 };
        private static readonly double[] s_ys = { 2.1, 0.7, -0.3, 0.1, 1.4, 2.2, 5.9 };

        private static double[] PolyClosedForm(double[] c)
        {
            var g = new double[c.Length];
            for (int i = 0; i < s_xs.Length; i++)
            {
                double p = 0;
                for (int k = 0; k < c.Length; k++)
                {
                    p += c[k] * Math.Pow(s_xs[i], k);
                }

                for (int k = 0; k < c.Length; k++)
                {
                    g[k] += 2 * (p - s_ys[i]) * Math.Pow(s_xs[i], k) / s_xs.Length;
                }
            }

            return g;
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0 })]
        [InlineData(new[] { 0.0, 0.0, 0.0, 0.0 })]
        [InlineData(new[] { -0.3, 1.1, 0.4, -0.2, 0.05 })]
        public void Polynomial_fit(double[] c)
        {
            var dC = Enumerable.Repeat(double.NaN, c.Length).ToArray(); // Gradient must overwrite
            double value = (double)Model.Invoke(T, "PolyLossGrad", c, s_xs, s_ys, dC)!;
            Func<double[], double> f = v => (double)Model.Invoke(T, "PolyLossValue", v, s_xs, s_ys)!;
            Numeric.Exact(f(c), value, "value");
            Numeric.Exact(PolyClosedForm(c), dC, "dC vs closed form");
            Numeric.MatchesFiniteDifferences(f, c, dC, "dC vs finite differences");
        }

        [Fact]
        public void Polynomial_fit_Backward_accumulates_and_scales_by_seed()
        {
            double[] c = { 0.5, -1.0, 2.0 };
            var dC = new[] { 1.0, 2.0, 3.0 };
            Model.Invoke(T, "PolyLossBack", c, s_xs, s_ys, 0.5, dC);
            Model.Invoke(T, "PolyLossBack", c, s_xs, s_ys, 0.5, dC);
            var g = PolyClosedForm(c);
            Numeric.Exact(new[] { 1.0 + g[0], 2.0 + g[1], 3.0 + g[2] }, dC, "two half-seeded Backward calls");
        }

        [Fact]
        public void Polynomial_fit_adjoint_of_wrong_length_throws_naming_it()
        {
            var e = Assert.Throws<ArgumentException>(() => Model.Invoke(T, "PolyLossGrad", new[] { 1.0, 2.0 }, s_xs, s_ys, new double[3]));
            Assert.Equal("dC", e.ParamName);
            var b = Assert.Throws<ArgumentException>(() => Model.Invoke(T, "PolyLossBack", new[] { 1.0, 2.0 }, s_xs, s_ys, 1.0, new double[1]));
            Assert.Equal("dC", b.ParamName);
        }

        [Fact]
        public void Polynomial_fit_with_an_empty_coefficient_vector()
        {
            // Zero coefficients: p = 0, the loss is mean(y²) and there is nothing to differentiate.
            double value = (double)Model.Invoke(T, "PolyLossGrad", Array.Empty<double>(), s_xs, s_ys, Array.Empty<double>())!;
            Numeric.Exact(s_ys.Sum(y => y * y) / s_ys.Length, value, "value");
        }

        // ================= 2 → 16 → 1 tanh network =================

        private sealed record Net(double[] W1, double[] B1, double[] W2, double B2);

        private static Net RandomNet(int seed)
        {
            var r = new Random(seed);
            double N() => r.NextDouble() * 2 - 1;
            return new Net(
                Enumerable.Range(0, 32).Select(_ => N()).ToArray(),
                Enumerable.Range(0, 16).Select(_ => 0.5 * N()).ToArray(),
                Enumerable.Range(0, 16).Select(_ => N()).ToArray(),
                0.1 * N());
        }

        /// <summary>Hand-written backpropagation for the network (the reference).</summary>
        private static (double Loss, double[] DW1, double[] DB1, double[] DW2, double DB2) NetBackprop(Net n, double[] x, double target)
        {
            var h = new double[16];
            double y = n.B2;
            for (int j = 0; j < 16; j++)
            {
                h[j] = Math.Tanh(n.B1[j] + n.W1[2 * j] * x[0] + n.W1[2 * j + 1] * x[1]);
                y += n.W2[j] * h[j];
            }

            double e = y - target;
            var dW1 = new double[32];
            var dB1 = new double[16];
            var dW2 = new double[16];
            for (int j = 0; j < 16; j++)
            {
                dW2[j] = e * h[j];
                double da = e * n.W2[j] * (1 - h[j] * h[j]);
                dB1[j] = da;
                dW1[2 * j] = da * x[0];
                dW1[2 * j + 1] = da * x[1];
            }

            return (0.5 * e * e, dW1, dB1, dW2, e);
        }

        [Theory]
        [InlineData(1, 0.3, -0.7, 0.25)]
        [InlineData(2, -1.5, 2.0, -1.0)]
        [InlineData(3, 0.0, 0.0, 2.0)]
        public void Tanh_network(int seed, double x0, double x1, double target)
        {
            var n = RandomNet(seed);
            var x = new[] { x0, x1 };
            var dW1 = new double[32];
            var dB1 = new double[16];
            var dW2 = new double[16];
            var dB2 = new double[1];
            double value = (double)Model.Invoke(T, "NetLossGrad", n.W1, n.B1, n.W2, n.B2, x, target, dW1, dB1, dW2, dB2)!;

            var reference = NetBackprop(n, x, target);
            Numeric.Exact(reference.Loss, value, "loss");
            Numeric.Exact(reference.DW1, dW1, "dW1");
            Numeric.Exact(reference.DB1, dB1, "dB1");
            Numeric.Exact(reference.DW2, dW2, "dW2");
            Numeric.Exact(reference.DB2, dB2[0], "dB2");

            // Finite differences over all 65 parameters, flattened.
            double[] theta = n.W1.Concat(n.B1).Concat(n.W2).Append(n.B2).ToArray();
            double F(double[] t) => (double)Model.Invoke(T, "NetLossValue", t[..32], t[32..48], t[48..64], t[64], x, target)!;
            Numeric.MatchesFiniteDifferences(F, theta, dW1.Concat(dB1).Concat(dW2).Append(dB2[0]).ToArray(), "network");
        }

        // ================= Softmax cross-entropy =================

        private static double[] SoftmaxMinusOneHot(double[] logits, int label)
        {
            double m = logits.Max();
            var e = logits.Select(l => Math.Exp(l - m)).ToArray();
            double s = e.Sum();
            return e.Select((v, i) => v / s - (i == label ? 1.0 : 0.0)).ToArray();
        }

        [Theory]
        [InlineData(new[] { 1.0, 2.0, 0.5, -1.0 }, 1)]
        [InlineData(new[] { 1.0, 2.0, 0.5, -1.0 }, 3)]
        [InlineData(new[] { 3.0, 3.0, 3.0 }, 0)]
        [InlineData(new[] { -0.2, 0.7 }, 0)]
        public void Softmax_cross_entropy(double[] logits, int label)
        {
            var d = new double[logits.Length];
            double value = (double)Model.Invoke(T, "SoftmaxCrossEntropyGrad", logits, label, d)!;
            Func<double[], double> f = v => (double)Model.Invoke(T, "SoftmaxCrossEntropyValue", v, label)!;
            Numeric.Exact(f(logits), value, "value");
            Numeric.Exact(SoftmaxMinusOneHot(logits, label), d, "softmax − one-hot");
            Numeric.MatchesFiniteDifferences(f, logits, d, "finite differences");
            Numeric.Exact(0.0, d.Sum(), "gradient sums to zero");
        }

        [Fact]
        public void Softmax_cross_entropy_is_stable_for_huge_logits()
        {
            double[] logits = { 1000.0, 1001.0, 999.0 };
            var d = new double[3];
            double value = (double)Model.Invoke(T, "SoftmaxCrossEntropyGrad", logits, 2, d)!;
            Assert.True(double.IsFinite(value));
            Numeric.Exact(-Math.Log(Math.Exp(-2) / (Math.Exp(-1) + 1 + Math.Exp(-2))), value, "value");
            Numeric.Exact(SoftmaxMinusOneHot(logits, 2), d, "gradient");
        }

        // ================= Projectile with drag, 1000 Euler steps =================

        /// <summary>The integrator re-stated with dual numbers (independent reference), for one input direction.</summary>
        private static Dual LandingDual(Dual speed, Dual angle, Dual drag)
        {
            Dual x = 0, y = 0, vx = speed * Dual.Cos(angle), vy = speed * Dual.Sin(angle), landing = 0;
            bool landed = false;
            for (int step = 0; step < 1000; step++)
            {
                Dual v = Dual.Sqrt(vx * vx + vy * vy);
                Dual xNext = x + 0.005 * vx, yNext = y + 0.005 * vy;
                if (!landed && yNext.V < 0)
                {
                    landing = x + (xNext - x) * y / (y - yNext);
                    landed = true;
                }

                x = xNext;
                y = yNext;
                vx -= 0.005 * drag * v * vx;
                vy -= 0.005 * (9.81 + drag * v * vy);
            }

            return landing;
        }

        [Theory]
        [InlineData("Landing", 20.0, 0.7, 0.01)]
        [InlineData("Landing", 12.0, 0.3, 0.05)]
        [InlineData("Landing", 25.0, 1.1, 0.0)]
        [InlineData("LandingWithBreak", 20.0, 0.7, 0.01)]
        [InlineData("LandingWithBreak", 12.0, 0.3, 0.05)]
        [InlineData("LandingWithReturn", 20.0, 0.7, 0.01)]
        [InlineData("LandingWithReturn", 12.0, 0.3, 0.05)]
        public void Projectile_with_drag(string method, double speed, double angle, double drag)
        {
            var x = new[] { speed, angle, drag };
            var g = Model.Gradient(T, method, x);
            Numeric.Exact(Model.Value(T, method, x), g.Value, "landing distance");
            Assert.True(g.Value > 1.0, "the projectile must land inside the 1000 steps for this test to mean anything");

            DualClose(LandingDual(Dual.Var(speed), angle, drag).D, g["dSpeed"], "dSpeed vs dual numbers");
            DualClose(LandingDual(speed, Dual.Var(angle), drag).D, g["dAngle"], "dAngle vs dual numbers");
            DualClose(LandingDual(speed, angle, Dual.Var(drag)).D, g["dDrag"], "dDrag vs dual numbers");
            Numeric.MatchesFiniteDifferences(Model.Primal(T, method), x, g.Adjoints, "finite differences");
            Assert.True(g["dDrag"] < 0, "more drag, shorter flight");
        }

        [Fact]
        public void Projectile_without_drag_approaches_the_vacuum_range_formula()
        {
            // R = v²·sin 2θ / g; Euler with dt = 0.005 s is first-order accurate, so agreement within 2 % is expected.
            double v = 20, th = 0.6;
            var g = Model.Gradient(T, "Landing", v, th, 0.0);
            Numeric.Close(v * v * Math.Sin(2 * th) / 9.81, g.Value, 0.02 * g.Value, "range");
            Numeric.Close(2 * v * Math.Sin(2 * th) / 9.81, g["dSpeed"], 0.02 * Math.Abs(g["dSpeed"]), "∂R/∂v");
            Numeric.Close(2 * v * v * Math.Cos(2 * th) / 9.81, g["dAngle"], 0.05 * Math.Abs(g["dAngle"]), "∂R/∂θ");
        }

        // ================= Newton's square root =================

        [Theory]
        [InlineData(2.0)]
        [InlineData(0.25)]
        [InlineData(1.5)]
        [InlineData(1e6)]
        public void Newton_square_root(double a)
        {
            var g = Model.Gradient(T, "NewtonSqrt", a);
            Numeric.Close(Math.Sqrt(a), g.Value, 1e-14 * Math.Sqrt(a) + 1e-300, "√a");

            // At convergence the derivative of the iterate equals 1/(2√a) to the iterate's own accuracy (1e-14).
            Numeric.Close(0.5 / Math.Sqrt(a), g["dA"], 1e-9 * 0.5 / Math.Sqrt(a), "closed form 1/(2√a)");
            Numeric.MatchesFiniteDifferences(Model.Primal(T, "NewtonSqrt"), new[] { a }, g.Adjoints, "finite differences");
        }

        // ================= break =================

        [Theory]
        [InlineData(1.0)]
        [InlineData(3.0)]
        [InlineData(20.0)]
        [InlineData(0.01)]
        public void Loop_with_break(double x)
        {
            int k = 0;
            double s = x;
            do
            {
                s *= 1.5;
                k++;
            }
            while (!(s > 10.0) && k < 100);
            Model.Check(T, "GrowUntil", new[] { x }, v => new[] { 2 * v[0] * Math.Pow(1.5, k) });
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0, 0.3, 4.0 }, 3.0)] // breaks at i = 2
        [InlineData(new[] { 0.5, -1.0, 0.2 }, 100.0)] // never breaks
        [InlineData(new[] { 5.0, 1.0 }, 1.0)] // breaks at once
        public void Span_loop_with_break(double[] w, double limit)
        {
            var d = Enumerable.Repeat(7.0, w.Length).ToArray();
            Model.Invoke(T, "SumUntilLimitGrad", w, limit, d);
            double sum = 0;
            var expected = new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                sum += w[i] * w[i];
                expected[i] = 2 * w[i];
                if (sum > limit)
                {
                    break;
                }
            }

            Numeric.Exact(expected, d, "gradient up to the break, zero after");
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "SumUntilLimitValue", v, limit)!, w, d, "finite differences");
        }

        // ================= continue =================

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0, 0.3, 4.0, -0.2, 1.5 })]
        [InlineData(new[] { -1.0, -2.0 })]
        public void Loop_with_continue(double[] w)
        {
            var d = new double[w.Length];
            Model.Invoke(T, "SkipSomeGrad", w, d);
            var expected = w.Select((v, i) => v < 0 || i % 3 == 2 ? 0.0 : Math.Cos(v) * v + Math.Sin(v)).ToArray();
            Numeric.Exact(expected, d, "closed form");
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "SkipSomeValue", v)!, w, d, "finite differences");
        }

        // ================= do / while, while =================

        [Theory]
        [InlineData(0.4)]
        [InlineData(-1.3)]
        public void Do_while_fixed_point_iteration(double x)
        {
            Dual y = Dual.Var(x), xd = Dual.Var(x);
            for (int n = 0; n < 5; n++)
            {
                y = Dual.Sin(y) + xd;
            }

            var g = Model.Check(T, "FixedPoint", new[] { x });
            DualClose(y.D, g["dX"], "dual numbers");
        }

        [Theory]
        [InlineData(10.0, 4)] // y = 10, 5, 2.5, 1.25 are added; 0.625 ends the loop
        [InlineData(0.5, 1)] // the body runs once even though the condition is false
        [InlineData(3.0, 2)]
        public void Do_while_with_data_dependent_trip_count(double x, int trips)
        {
            double factor = Enumerable.Range(0, trips).Sum(k => Math.Pow(0.25, k));
            Model.Check(T, "HalveWhileLarge", new[] { x }, v => new[] { 2 * v[0] * factor });
        }

        [Theory]
        [InlineData(1.0, 0.5)]
        [InlineData(90.0, 3.0)]
        [InlineData(150.0, 1.0)] // the body never runs: f = x
        [InlineData(-5.0, 2.0)]
        public void While_loop_overwriting_a_parameter(double x, double y)
        {
            Dual Run(Dual a, Dual b)
            {
                int k = 0;
                while (a.V < 100.0 && k < 50)
                {
                    a = a * 1.7 + b;
                    k++;
                }

                return a;
            }

            var g = Model.Check(T, "WhileGrow", new[] { x, y });
            DualClose(Run(Dual.Var(x), y).D, g["dX"], "dX dual");
            DualClose(Run(x, Dual.Var(y)).D, g["dY"], "dY dual");
        }

        [Theory]
        [InlineData(0.7, 5)]
        [InlineData(-1.2, 3)]
        [InlineData(2.0, 0)]
        public void Loop_bound_from_an_int_parameter(double x, int n) =>
            Model.Check(T, "PowerSum", new[] { x, n }, v => new[] { Enumerable.Range(1, n).Sum(k => k * Math.Pow(v[0], k - 1)) });

        // ================= foreach =================

        [Fact]
        public void Foreach_over_a_span()
        {
            double[] w = { 0.5, -1.0, 2.0 };
            var d = new double[3];
            double value = (double)Model.Invoke(T, "ForeachCubesGrad", w, d)!;
            Numeric.Exact(0.125 - 1 + 8, value, "value");
            Numeric.Exact(w.Select(v => 3 * v * v).ToArray(), d, "3w²");
        }

        [Theory]
        [InlineData(0.7)]
        [InlineData(-1.5)]
        public void Foreach_over_an_array_with_loop_carried_state(double x)
        {
            // Horner: s = ((w0·x + w1)·x + w2)·x + w3.
            double[] w = { 1.5, -2.0, 0.25, 3.0 };
            var dW = new double[4];
            var dX = new double[1];
            Model.Invoke(T, "ForeachHornerGrad", w, x, dW, dX);
            Numeric.Exact(new[] { x * x * x, x * x, x, 1.0 }, dW, "dW");
            Numeric.Exact(3 * w[0] * x * x + 2 * w[1] * x + w[2], dX[0], "dX");
        }

        // ================= a loop whose body branches =================

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0, -0.3, 0.8 })]
        [InlineData(new[] { -0.5, -0.2, 1.5, -2.0, -0.1, 0.9 })]
        [InlineData(new[] { 3.0, -1.0, -1.0, -1.0 })]
        public void Loop_whose_body_branches(double[] w)
        {
            var d = new double[w.Length];
            double value = (double)Model.Invoke(T, "BranchyLoopGrad", w, d)!;
            Func<double[], double> f = v => (double)Model.Invoke(T, "BranchyLoopValue", v)!;
            Numeric.Exact(f(w), value, "value");
            for (int k = 0; k < w.Length; k++)
            {
                Dual s = 1.0;
                for (int i = 0; i < w.Length; i++)
                {
                    Dual wi = i == k ? Dual.Var(w[i]) : w[i];
                    if (wi.V > 0)
                    {
                        s = s * wi + 1.0;
                    }
                    else if (s.V > 2.0)
                    {
                        s = s - wi * s * 0.5;
                    }
                    else
                    {
                        s = Dual.Exp(wi) + s;
                    }
                }

                DualClose((s * s).D, d[k], $"dW[{k}] vs dual numbers");
            }

            Numeric.MatchesFiniteDifferences(f, w, d, "finite differences");
        }

        // ================= nested loops, dot product =================

        [Fact]
        public void Triangular_nested_loops()
        {
            double[] w = { 0.5, -1.0, 2.0, 0.3 };
            var d = new double[4];
            Model.Invoke(T, "TriangleGrad", w, d);

            // s = Σ_{j≤i} w_i·w_j = ((Σw)² + Σw²)/2, so ∂s/∂w_k = Σw + w_k.
            Numeric.Exact(w.Select(v => w.Sum() + v).ToArray(), d, "Σw + w_k");
        }

        [Fact]
        public void Dot_product()
        {
            double[] a = { 0.5, -1.0, 2.0 }, b = { 3.0, 0.25, -4.0 };
            var dA = new double[3];
            var dB = new double[3];
            double value = (double)Model.Invoke(T, "DotGrad", a, b, dA, dB)!;
            Numeric.Exact(1.5 - 0.25 - 8, value, "value");
            Assert.Equal(b, dA);
            Assert.Equal(a, dB);
        }

        [Fact]
        public void Dot_product_with_mismatched_adjoint_length_throws_for_the_second_adjoint()
        {
            var e = Assert.Throws<ArgumentException>(() => Model.Invoke(T, "DotGrad", new double[3], new double[3], new double[3], new double[2]));
            Assert.Equal("dB", e.ParamName);
            Assert.Contains("dB", e.Message);
        }

        // ================= isolated shapes =================

        [Theory]
        [InlineData(0.5, 1.5)]
        [InlineData(-0.3, 0.8)]
        public void Local_declared_inside_a_loop_body(double a, double b)
        {
            // s ← (s + 2a)·b three times, from s = 1.
            Dual Run(Dual x, Dual y)
            {
                Dual s = 1.0;
                for (int i = 0; i < 3; i++)
                {
                    s = (s + 2.0 * x) * y;
                }

                return s;
            }

            var g = Model.Check(T, "LocalDeclaredInLoop", new[] { a, b });
            DualClose(Run(Dual.Var(a), b).D, g["dA"], "dA");
            DualClose(Run(a, Dual.Var(b)).D, g["dB"], "dB");
        }

        [Theory]
        [InlineData(0.5)]
        [InlineData(-2.0)]
        public void Value_captured_in_a_branch_in_an_earlier_iteration(double a) =>

            // In iteration 1, x = a and xNext = 2a, so hit = 2a²: the reverse sweep must see those, not the final x = 4a.
            Model.Check(T, "ValueCapturedInBranchInLoop", new[] { a }, v => new[] { 4 * v[0] });

        [Theory]
        [InlineData(0.5, 0.3)] // crosses in iteration 3 of 6
        [InlineData(2.0, 0.45)] // iteration 2
        [InlineData(1.0, 0.18)] // iteration 5, the last
        public void Interpolation_in_a_branch_taken_in_an_earlier_iteration(double a, double b) =>

            // The straight line (i·a, 1 − i·b) crosses y = 0 at x = a/b, whichever step detects it; the branch reads
            // x, xNext, y and yNext of that step, which later iterations overwrite.
            Model.Check(T, "InterpolatedCrossing", new[] { a, b }, v => new[] { 1 / v[1], -v[0] / (v[1] * v[1]) });

        // ================= more loop shapes =================

        [Theory]
        [InlineData(1.1, 3)]
        [InlineData(-0.9, 2)]
        [InlineData(0.7, 0)]
        public void Parameter_overwritten_every_iteration(double x, int n)
        {
            // x^(2^n): derivative 2^n · x^(2^n − 1).
            double p = Math.Pow(2, n);
            Model.Check(T, "RepeatedSquaring", new[] { x, n }, v => new[] { p * Math.Pow(v[0], p - 1) });
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0, 0.3, 0.2, -0.1 }, 2, 1.0)]
        [InlineData(new[] { 0.5, -1.0, 2.0, 0.3, 0.2, -0.1 }, 3, 100.0)]
        public void Break_in_an_inner_loop_only(double[] w, int rows, double cap)
        {
            var d = new double[w.Length];
            Model.Invoke(T, "BreakInInnerLoopGrad", w, rows, cap, d);
            int cols = w.Length / rows;
            var expected = new double[w.Length];
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                int last = cols - 1;
                for (int c = 0; c < cols; c++)
                {
                    sum += w[r * cols + c] * w[r * cols + c];
                    if (sum > cap)
                    {
                        last = c;
                        break;
                    }
                }

                for (int c = 0; c <= last; c++)
                {
                    expected[r * cols + c] = w[r * cols + c] / Math.Sqrt(sum);
                }
            }

            Numeric.Exact(expected, d, "closed form");
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "BreakInInnerLoopValue", v, rows, cap)!, w, d, "finite differences");
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.0, 0.3, -0.2, 1.5 })]
        [InlineData(new double[0])]
        public void While_true_with_break_and_continue(double[] w)
        {
            var d = new double[w.Length];
            Model.Invoke(T, "WhileBreakContinueGrad", w, d);
            var expected = new double[w.Length];
            int kept = w.Count(v => v >= 0);
            int seen = 0;
            for (int i = 0; i < w.Length; i++)
            {
                if (w[i] >= 0)
                {
                    // s is halved once for each later non-negative element.
                    seen++;
                    expected[i] = 2 * w[i] * Math.Pow(0.5, kept - seen);
                }
            }

            Numeric.Exact(expected, d, "closed form");
            if (w.Length > 0)
            {
                Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "WhileBreakContinueValue", v)!, w, d, "finite differences");
            }
        }

        [Fact]
        public void Max_and_ternary_inside_a_loop()
        {
            double[] w = { 0.5, -1.0, 2.0, 0.3, 3.0 };
            double[] x = { 1.0, 0.5, 1.0, 0.5, 1.0 };
            var d = new double[5];
            Model.Invoke(T, "ReluLayerGrad", w, x, d);
            var expected = w.Select((wj, j) =>
            {
                double a = wj * x[j] - 0.25;
                return (a > 0 ? x[j] : 0.0) + (a > 1 ? 2 * a * x[j] : 0.0);
            }).ToArray();
            Numeric.Exact(expected, d, "closed form");
        }

        [Fact]
        public void Runtime_span_pullback_called_in_a_loop()
        {
            double[] logits = { 0.5, -1.0, 2.0 };
            var d = new double[3];
            Model.Invoke(T, "LogSumExpRowsGrad", logits, 3, d);
            double s = logits.Sum(Math.Exp);
            Numeric.Exact(logits.Select(l => 6 * Math.Exp(l) / s).ToArray(), d, "(1 + 2 + 3)·softmax");
        }

        [Fact]
        public void A_loop_carried_sum_of_products_saves_no_values()
        {
            // Issue 3: "a loop sum += w[i] * x[i] needs no saved values at all".
            var run = GeneratorHarness.Run(Source);
            string code = run.Source("Loops.M.Dot.");
            Assert.DoesNotContain("Push(", code);
            Assert.DoesNotContain("ValueStack", code);
            Assert.DoesNotContain("ArrayPool", code);
        }
    }
}
