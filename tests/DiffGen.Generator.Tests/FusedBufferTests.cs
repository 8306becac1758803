using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// A loop that writes an active local buffer is fused (each iteration followed by its own reverse sweep, rule 8 of
    /// docs/reverse-sweep.md) only when every element an iteration reads was written earlier in the same iteration:
    /// then no adjoint of the buffer crosses iterations. The models that fuse and, above all, those that must not
    /// (an element read before it is written, a range only partly written, different bounds, a conditional write, an
    /// offset index, an accumulating write) are checked against central finite differences.
    /// </summary>
    public class FusedBufferTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Fusion
            {
                public static partial class F
                {
                    // ---- fused: the network's shape (one loop writes every element, a later one over the same range reads them) ----
                    [Differentiable]
                    public static double WriteThenRead(double w, double v, double c)
                    {
                        double[] h = new double[4];
                        double sum = 0;
                        for (int s = 0; s < 5; s++)
                        {
                            double x = 0.3 * s - 0.5;
                            for (int j = 0; j < 4; j++)
                            {
                                h[j] = Math.Tanh(w * (x + j) + c);
                            }

                            double o = c;
                            for (int k = 0; k < 4; k++)
                            {
                                o += v * h[k] * h[k];
                            }

                            double r = o - x;
                            sum += r * r;
                        }

                        return sum / 5;
                    }

                    // ---- fused: the element is read in the writing loop, after the write ----
                    [Differentiable]
                    public static double ReadAfterWriteInSameLoop(double w, double v)
                    {
                        Span<double> h = stackalloc double[3];
                        double sum = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                h[j] = Math.Sin(w * j + s);
                                sum += v * h[j] * h[j];
                            }
                        }

                        return sum;
                    }

                    // ---- fused: a constant index written, then read (the network bug's repro) ----
                    [Differentiable]
                    public static double ConstantIndex(double w, double v)
                    {
                        double[] h = new double[1];
                        double sum = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            h[0] = Math.Tanh(w * (s - 1.5));
                            sum += v * h[0];
                        }

                        return sum;
                    }

                    // ---- fused: descending loops with inclusive bounds, and bounds from a parameter ----
                    [Differentiable]
                    public static double SameBoundsOtherShapes(double w, double v, [NoDiff] int n)
                    {
                        double[] h = new double[8];
                        double sum = 0;
                        for (int s = 0; s < 3; s++)
                        {
                            for (int j = n - 1; j >= 0; j--)
                            {
                                h[j] = Math.Exp(w * (j - s));
                            }

                            for (int k = n - 1; k >= 0; k--)
                            {
                                sum += v * h[k] * h[k];
                            }

                            for (int j = 0; j <= n; j++)
                            {
                                h[j] = Math.Cos(w * j * s);
                            }

                            for (int k = 0; k <= n; k++)
                            {
                                sum += h[k] * v;
                            }
                        }

                        return sum;
                    }

                    // ---- not fused: each element is read before it is written (it holds the previous iteration's value) ----
                    [Differentiable]
                    public static double ReadBeforeWrite(double w, double v)
                    {
                        double[] h = new double[4];
                        double sum = 0;
                        for (int s = 0; s < 5; s++)
                        {
                            double o = 0;
                            for (int k = 0; k < 4; k++)
                            {
                                o += v * h[k];
                            }

                            for (int j = 0; j < 4; j++)
                            {
                                h[j] = Math.Tanh(w * (s + j) + o);
                            }

                            sum += o * o;
                        }

                        return sum;
                    }

                    // ---- not fused: the last element is read from the previous iteration's write ----
                    [Differentiable]
                    public static double PartialRange(double w, double v)
                    {
                        double[] h = new double[4];
                        double sum = 0;
                        for (int s = 0; s < 5; s++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                h[j] = Math.Tanh(w * (s + j));
                            }

                            double o = 0;
                            for (int k = 0; k < 4; k++)
                            {
                                o += v * h[k];
                            }

                            h[3] = Math.Sin(w * s + o);
                            sum += o * o;
                        }

                        return sum;
                    }

                    // ---- not fused: written over [0, n), read over [0, m) (elements n…m−1 come from the previous iteration) ----
                    [Differentiable]
                    public static double DifferentBounds(double w, double v, [NoDiff] int n, [NoDiff] int m)
                    {
                        double[] h = new double[8];
                        double sum = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                h[j] = Math.Tanh(w * (s + j));
                            }

                            double o = 0;
                            for (int k = 0; k < m; k++)
                            {
                                o += v * h[k];
                            }

                            for (int j = 0; j < m; j++)
                            {
                                h[j] = Math.Sin(o * j);
                            }

                            sum += o * o;
                        }

                        return sum;
                    }

                    // ---- not fused: the writes run only in even iterations ----
                    [Differentiable]
                    public static double ConditionalWrite(double w, double v)
                    {
                        double[] h = new double[3];
                        double sum = 0;
                        for (int s = 0; s < 5; s++)
                        {
                            if (s % 2 == 0)
                            {
                                for (int j = 0; j < 3; j++)
                                {
                                    h[j] = Math.Tanh(w * (s + j));
                                }
                            }

                            for (int k = 0; k < 3; k++)
                            {
                                sum += v * h[k] * h[k];
                            }
                        }

                        return sum;
                    }

                    // ---- not fused: the read index is offset, reaching the element written at the end of the previous iteration ----
                    [Differentiable]
                    public static double OffsetIndex(double w, double v)
                    {
                        double[] h = new double[4];
                        double sum = 0;
                        for (int s = 0; s < 5; s++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                h[j] = Math.Tanh(w * (s + j));
                            }

                            double o = 0;
                            for (int j = 0; j < 3; j++)
                            {
                                o += v * h[j + 1];
                            }

                            h[3] = Math.Cos(o + w);
                            sum += o * o;
                        }

                        return sum;
                    }

                    // ---- not fused: h[j] += … reads the previous iteration's element ----
                    [Differentiable]
                    public static double Accumulating(double w, double v)
                    {
                        double[] h = new double[3];
                        double sum = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                h[j] += Math.Tanh(w * (s + j));
                            }

                            for (int k = 0; k < 3; k++)
                            {
                                sum += v * h[k] * h[k];
                            }
                        }

                        return sum;
                    }

                    // ---- not fused: a constant index read before it is written ----
                    [Differentiable]
                    public static double ConstantIndexReadFirst(double w, double v)
                    {
                        double[] h = new double[1];
                        double sum = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            sum += v * h[0] * h[0];
                            h[0] = Math.Tanh(w * (s - 1.5) + h[0]);
                        }

                        return sum;
                    }

                    // ---- not fused: another constant index is read than the one written ----
                    [Differentiable]
                    public static double OtherConstantIndex(double w, double v)
                    {
                        double[] h = new double[2];
                        double sum = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            h[0] = Math.Tanh(w * (s - 1.5));
                            sum += v * h[0] * h[1];
                            h[1] = h[0] + w;
                        }

                        return sum;
                    }

                    // ---- stored values read back: the tanh is read from h[j] in reverse, not saved ----
                    [Differentiable]
                    public static double StoredOnce(double w, double v)
                    {
                        double[] h = new double[5];
                        for (int j = 0; j < 5; j++)
                        {
                            h[j] = Math.Tanh(w * (j - 2) + 0.3);
                        }

                        double sum = 0;
                        for (int k = 0; k < 5; k++)
                        {
                            sum += v * h[k] * h[k];
                        }

                        return sum;
                    }

                    // ---- saved: a later loop overwrites the elements, and nothing in between reads their values in reverse ----
                    [Differentiable]
                    public static double StoredThenOverwritten(double w, double v)
                    {
                        double[] h = new double[4];
                        for (int j = 0; j < 4; j++)
                        {
                            h[j] = Math.Tanh(w * j - 0.5);
                        }

                        double sum = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            sum += h[k];
                        }

                        for (int j = 0; j < 4; j++)
                        {
                            h[j] = Math.Exp(v * j);
                        }

                        for (int k = 0; k < 4; k++)
                        {
                            sum += h[k] * h[k];
                        }

                        return sum;
                    }

                    // ---- saved: the writing loop runs again in each iteration of an outer loop that is not fused ----
                    [Differentiable]
                    public static double StoredInNestedLoop(double w, double v)
                    {
                        double[] h = new double[3];
                        double acc = 0.2;
                        for (int s = 0; s < 4; s++)
                        {
                            for (int j = 0; j < 3; j++)
                            {
                                h[j] = Math.Tanh(w * j + acc);
                            }

                            double o = 0;
                            for (int k = 0; k < 3; k++)
                            {
                                o += h[k];
                            }

                            acc = o * v;
                        }

                        return acc;
                    }

                    // ---- saved: the element written is not the loop counter's (correct to read back, but not proven) ----
                    [Differentiable]
                    public static double StoredAtOtherIndex(double w, double v)
                    {
                        double[] h = new double[4];
                        for (int j = 0; j < 4; j++)
                        {
                            h[3 - j] = Math.Tanh(w * j - v);
                        }

                        double sum = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            sum += v * h[k] * h[k] * k;
                        }

                        return sum;
                    }

                    // ---- saved: a later iteration writes the same element, and nothing reads its value in reverse ----
                    [Differentiable]
                    public static double StoredWhereIndexRepeats(double w, double v)
                    {
                        double[] h = new double[2];
                        double sum = 0;
                        for (int j = 0; j < 4; j++)
                        {
                            h[j % 2] = Math.Tanh(w * j + v);
                            sum += h[j % 2];
                        }

                        return sum;
                    }

                    // ---- carried: Rosenbrock's dX[i + 1] goes to the next iteration's dX[i] in a local ----
                    [Differentiable]
                    public static double Rosenbrock(ReadOnlySpan<double> x)
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

                    public static double RosenbrockGrad(double[] x, double[] dX) => RosenbrockGradient(x, dX);

                    public static double RosenbrockBack(double[] x, double seed, double[] dX) => RosenbrockBackward(x, seed, dX);

                    // ---- carried from a start of 1, with a third term at dX[i − 1] written directly ----
                    [Differentiable]
                    public static double Chain(ReadOnlySpan<double> x, [NoDiff] double k)
                    {
                        double sum = 0;
                        for (int i = 1; i < x.Length - 1; i++)
                        {
                            sum += Math.Sin(x[i - 1] * x[i]) + k * x[i] * x[i + 1] * x[i + 1];
                        }

                        return sum;
                    }

                    public static double ChainGrad(double[] x, double k, double[] dX) => ChainGradient(x, k, dX);

                    public static double ChainValue(double[] x, double k) => Chain(x, k);

                    // ---- not carried: the start is a variable the loop assigns ----
                    [Differentiable]
                    public static double MovingStart(ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        int start = 0;
                        for (int i = start; i < x.Length - 1; i++)
                        {
                            start = i;
                            double d = x[i + 1] - x[i];
                            sum += d * d * x[i];
                        }

                        return sum;
                    }

                    public static double MovingStartGrad(double[] x, double[] dX) => MovingStartGradient(x, dX);

                    public static double MovingStartValue(double[] x) => MovingStart(x);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));

        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        private static Compiled Model => s_model.Value;

        private const string T = "Fusion.F";

        private static bool Fused(string method) => s_run.Value.Source("Fusion.F." + method + ".g.cs").Contains("// Reverse sweep of this iteration.", StringComparison.Ordinal);

        [Theory]
        [InlineData("WriteThenRead", new[] { 0.7, -1.3, 0.2 })]
        [InlineData("WriteThenRead", new[] { -0.4, 0.8, -0.6 })]
        [InlineData("ReadAfterWriteInSameLoop", new[] { 0.9, 1.7 })]
        [InlineData("ConstantIndex", new[] { 0.6, -2.1 })]
        [InlineData("SameBoundsOtherShapes", new[] { 0.35, 1.2, 4 })]
        [InlineData("SameBoundsOtherShapes", new[] { -0.2, 0.7, 1 })]
        [InlineData("SameBoundsOtherShapes", new[] { 0.3, 0.5, 0 })]
        public void Fused_when_every_read_element_was_written_earlier_in_the_iteration(string method, double[] x)
        {
            Assert.True(Fused(method), method + " should be fused");
            Model.Check(T, method, x);
        }

        [Theory]
        [InlineData("StoredOnce", new[] { 0.8, -1.2 }, false)]
        [InlineData("WriteThenRead", new[] { 0.7, -1.3, 0.2 }, false)]
        [InlineData("StoredThenOverwritten", new[] { 0.6, 0.9 }, true)]
        [InlineData("StoredInNestedLoop", new[] { 0.6, 0.9 }, true)]
        [InlineData("StoredAtOtherIndex", new[] { -0.7, 1.3 }, true)]
        [InlineData("StoredWhereIndexRepeats", new[] { 0.5, 0.4 }, true)]
        public void A_stored_value_is_read_back_only_when_nothing_overwrites_its_element_first(string method, double[] x, bool saved)
        {
            string code = s_run.Value.Source("Fusion.F." + method + ".g.cs");
            // Saved one by one (Push) or into slots reserved for the whole loop (Reserve, docs/reverse-sweep.md rule 16).
            Assert.Equal(saved, code.Contains(".Push(", StringComparison.Ordinal) || code.Contains(".Reserve(", StringComparison.Ordinal));
            Model.Check(T, method, x);
        }

        public static TheoryData<double[]> Vectors => new()
        {
            Array.Empty<double>(),
            new[] { 0.7 },
            new[] { 0.7, -1.2 },
            new[] { 0.7, -1.2, 0.4, 1.9, -0.3 },
        };

        private static double[] Fd(Func<double[], double> f, double[] x) =>
            Enumerable.Range(0, x.Length).Select(i => Numeric.Central(f, x, i)).ToArray();

        [Theory]
        [MemberData(nameof(Vectors))]
        public void Rosenbrock_carries_the_next_elements_contribution_to_the_next_iteration(double[] x)
        {
            string code = s_run.Value.Source("Fusion.F.Rosenbrock.g.cs");
            Assert.Contains("dX[i] += dXCarry - (", code, StringComparison.Ordinal);
            Assert.Contains("dX[x.Length - 1] += dXCarry;", code, StringComparison.Ordinal);
            var expected = new double[x.Length];
            for (int i = 0; i < x.Length - 1; i++)
            {
                double t = x[i + 1] - x[i] * x[i];
                expected[i] += -400 * x[i] * t - 2 * (1 - x[i]);
                expected[i + 1] += 200 * t;
            }

            var dX = new double[x.Length];
            Model.Invoke(T, "RosenbrockGrad", x, dX);
            var back = Enumerable.Repeat(1.0, x.Length).ToArray();
            Model.Invoke(T, "RosenbrockBack", x, 0.5, back);
            for (int i = 0; i < x.Length; i++)
            {
                Numeric.Exact(expected[i], dX[i], "Rosenbrock dX[" + i + "]");

                // Backward adds seed · gradient into what is there.
                Numeric.Exact(1 + 0.5 * expected[i], back[i], "Rosenbrock backward dX[" + i + "]");
            }
        }

        [Theory]
        [MemberData(nameof(Vectors))]
        public void A_carry_from_a_nonzero_start_and_a_moving_start_against_finite_differences(double[] x)
        {
            Assert.Contains("Carry", s_run.Value.Source("Fusion.F.Chain.g.cs"), StringComparison.Ordinal);
            Assert.DoesNotContain("Carry", s_run.Value.Source("Fusion.F.MovingStart.g.cs"), StringComparison.Ordinal);
            var dX = new double[x.Length];
            double value = (double)Model.Invoke(T, "ChainGrad", x, 1.3, dX)!;
            Func<double[], double> chain = v => (double)Model.Invoke(T, "ChainValue", v, 1.3)!;
            Numeric.Exact(chain(x), value, "Chain value");
            var fd = Fd(chain, x);
            for (int i = 0; i < x.Length; i++)
            {
                Numeric.Fd(fd[i], dX[i], value, "Chain dX[" + i + "]");
            }

            dX = new double[x.Length];
            value = (double)Model.Invoke(T, "MovingStartGrad", x, dX)!;
            Func<double[], double> moving = v => (double)Model.Invoke(T, "MovingStartValue", v)!;
            fd = Fd(moving, x);
            for (int i = 0; i < x.Length; i++)
            {
                Numeric.Fd(fd[i], dX[i], value, "MovingStart dX[" + i + "]");
            }
        }

        [Theory]
        [InlineData("ReadBeforeWrite", new[] { 0.7, -1.3 })]
        [InlineData("PartialRange", new[] { 0.5, 0.9 })]
        [InlineData("DifferentBounds", new[] { 0.4, -0.8, 2, 4 })]
        [InlineData("DifferentBounds", new[] { 0.4, -0.8, 3, 3 })]
        [InlineData("ConditionalWrite", new[] { 0.6, 1.1 })]
        [InlineData("OffsetIndex", new[] { -0.3, 0.75 })]
        [InlineData("Accumulating", new[] { 0.45, -0.6 })]
        [InlineData("ConstantIndexReadFirst", new[] { 0.8, 1.4 })]
        [InlineData("OtherConstantIndex", new[] { 0.8, 1.4 })]
        public void Not_fused_when_an_element_read_may_come_from_another_iteration(string method, double[] x)
        {
            Assert.False(Fused(method), method + " must not be fused");
            Model.Check(T, method, x);
        }
    }
}
