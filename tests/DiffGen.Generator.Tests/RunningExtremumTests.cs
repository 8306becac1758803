using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Running extrema (<c>m = Math.Max(m, x[i])</c> in a top-level loop that touches <c>m</c> nowhere else) are
    /// differentiated as a whole loop: the forward sweep keeps the index where the extremum was last attained and the
    /// reverse sweep hands the adjoint to that element. References: the closed form (the adjoint lands on the arg-max),
    /// central finite differences, and the same models written so the pattern does not apply.
    /// </summary>
    public class RunningExtremumTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Extrema
            {
                public static partial class M
                {
                    // (max + 1)·max with the maximum from a loop starting at the first element.
                    [Differentiable]
                    public static double MaxSquare(ReadOnlySpan<double> x)
                    {
                        double m = x[0];
                        for (int i = 1; i < x.Length; i++)
                        {
                            m = Math.Max(m, x[i]);
                        }

                        return m * m + m;
                    }

                    // The minimum with the element first, over a descending loop, from a scalar starting value.
                    [Differentiable]
                    public static double MinFrom(double start, ReadOnlySpan<double> x)
                    {
                        double m = start;
                        for (int i = x.Length - 1; i >= 0; i--)
                        {
                            m = Math.Min(x[i], m);
                        }

                        return 3.0 * m;
                    }

                    // The running value is read before the loop: differentiated statement by statement.
                    [Differentiable]
                    public static double ReadBefore(ReadOnlySpan<double> x)
                    {
                        double m = x[0];
                        double y = m * m;
                        for (int i = 1; i < x.Length; i++)
                        {
                            m = Math.Max(m, x[i]);
                        }

                        return m + y;
                    }

                    // The running value is read by another statement of the loop: statement by statement too.
                    [Differentiable]
                    public static double ReadInside(ReadOnlySpan<double> x)
                    {
                        double m = x[0];
                        double s = 0;
                        for (int i = 1; i < x.Length; i++)
                        {
                            m = Math.Max(m, x[i]);
                            s += m;
                        }

                        return s;
                    }

                    // Data that is not differentiated: only the starting value has an adjoint, and only when it wins.
                    [Differentiable]
                    public static double Floor(double a, [NoDiff] ReadOnlySpan<double> data)
                    {
                        double m = a;
                        for (int i = 0; i < data.Length; i++)
                        {
                            m = Math.Max(m, data[i]);
                        }

                        return m * a;
                    }

                    public static double MaxSquareValue(double[] x) => MaxSquare(x);
                    public static double MaxSquareGrad(double[] x, double[] d) => MaxSquareGradient(x, d);
                    public static double MaxSquareBack(double[] x, double seed, double[] d) => MaxSquareBackward(x, seed, d);
                    public static double MinFromValue(double start, double[] x) => MinFrom(start, x);
                    public static double MinFromGrad(double start, double[] x, double[] d, out double dStart) => MinFromGradient(start, x, out dStart, d);
                    public static double ReadBeforeValue(double[] x) => ReadBefore(x);
                    public static double ReadBeforeGrad(double[] x, double[] d) => ReadBeforeGradient(x, d);
                    public static double ReadInsideValue(double[] x) => ReadInside(x);
                    public static double ReadInsideGrad(double[] x, double[] d) => ReadInsideGradient(x, d);
                    public static double FloorGrad(double a, double[] data, out double dA) => FloorGradient(a, data, out dA);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        private static Compiled Model => s_model.Value;

        private const string T = "Extrema.M";

        private static string Generated(string method) => s_run.Value.Source("M." + method + ".g.cs");

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.5, 1.0 })]
        [InlineData(new[] { 3.0, -1.0, 2.5 })] // the first element wins: the starting value keeps the adjoint
        [InlineData(new[] { -4.0, -3.0, -7.5, -3.5 })]
        [InlineData(new[] { 1.25 })]
        public void Maximum_hands_its_adjoint_to_the_arg_max(double[] x)
        {
            var d = new double[x.Length];
            double value = (double)Model.Invoke(T, "MaxSquareGrad", x, d)!;
            double m = x.Max();
            Numeric.Exact(m * m + m, value, "value");
            var expected = new double[x.Length];
            expected[Array.IndexOf(x, m)] = 2 * m + 1;
            Numeric.Exact(expected, d, "(2·max + 1) at the arg-max");
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "MaxSquareValue", v)!, x, d, "finite differences");
        }

        [Fact]
        public void The_pattern_keeps_an_index_instead_of_every_running_value()
        {
            string code = Generated("MaxSquare");
            Assert.Contains("int mAt = -1;", code, StringComparison.Ordinal);
            Assert.Contains("mAt = m == x[i] ? i : mAt;", code, StringComparison.Ordinal);
            Assert.Contains("dX[mAt] += dM;", code, StringComparison.Ordinal);
            Assert.DoesNotContain("Push(m)", code, StringComparison.Ordinal);
            Assert.DoesNotContain("0.5", code, StringComparison.Ordinal); // no tie rule inside a reverse loop
        }

        [Fact]
        public void At_a_tie_the_last_element_that_attains_the_maximum_gets_the_adjoint()
        {
            double[] x = { 1.0, 3.0, 2.0, 3.0, 0.5 };
            var d = new double[x.Length];
            Model.Invoke(T, "MaxSquareGrad", x, d);
            Assert.Equal(new[] { 0.0, 0.0, 0.0, 7.0, 0.0 }, d);
        }

        [Fact]
        public void Backward_scales_by_the_seed_and_accumulates()
        {
            double[] x = { 0.5, 2.0, -1.0 };
            double[] d = { 1.0, 1.0, 1.0 };
            Model.Invoke(T, "MaxSquareBack", x, 0.5, d);
            Numeric.Exact(new[] { 1.0, 1.0 + 0.5 * 5.0, 1.0 }, d, "seed · (2·max + 1) added at the arg-max");
        }

        [Theory]
        [InlineData(10.0, new[] { 0.5, -1.0, 2.5, 1.0 })] // the minimum is an element
        [InlineData(-5.0, new[] { 0.5, -1.0, 2.5 })] // the starting value is the minimum
        public void Minimum_over_a_descending_loop_from_a_scalar_start(double start, double[] x)
        {
            var d = new double[x.Length];
            var args = new object?[] { start, x, d, 0.0 };
            double value = (double)Model.Method(T, "MinFromGrad").Invoke(null, args)!;
            double dStart = (double)args[3]!;
            double m = Math.Min(start, x.Min());
            Numeric.Exact(3 * m, value, "value");
            var expected = new double[x.Length];
            double expectedStart = 0;
            if (start <= x.Min())
            {
                expectedStart = 3;
            }
            else
            {
                expected[Array.IndexOf(x, m)] = 3;
            }

            Numeric.Exact(expected, d, "3 at the arg-min");
            Numeric.Exact(expectedStart, dStart, "3 for the start when it is the minimum");
            Assert.Contains("mAt", Generated("MinFrom"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(new[] { 0.5, -1.0, 2.5, 1.0 })]
        [InlineData(new[] { 3.0, -1.0, 2.5 })]
        public void A_running_value_read_before_the_loop_is_differentiated_statement_by_statement(double[] x)
        {
            var d = new double[x.Length];
            Model.Invoke(T, "ReadBeforeGrad", x, d);
            var expected = new double[x.Length];
            expected[0] = 2 * x[0];
            expected[Array.IndexOf(x, x.Max())] += 1;
            Numeric.Exact(expected, d, "2·x₀ plus 1 at the arg-max");
            Assert.DoesNotContain("mAt", Generated("ReadBefore"), StringComparison.Ordinal);
        }

        [Fact]
        public void A_running_value_read_inside_the_loop_is_differentiated_statement_by_statement()
        {
            double[] x = { 0.5, 2.0, 1.0, 3.0 };
            var d = new double[x.Length];
            Model.Invoke(T, "ReadInsideGrad", x, d);
            Numeric.MatchesFiniteDifferences(v => (double)Model.Invoke(T, "ReadInsideValue", v)!, x, d, "finite differences");
            Numeric.Exact(new[] { 0.0, 2.0, 0.0, 1.0 }, d, "prefix maxima: 2.0 twice, then 3.0 once");
            Assert.DoesNotContain("mAt", Generated("ReadInside"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(5.0)] // a wins: d/da (a·a) = 2a
        [InlineData(1.0)] // the data wins (max 4): d/da (4·a) = 4
        public void Data_that_is_not_differentiated_leaves_the_adjoint_to_the_start_only_when_it_wins(double a)
        {
            double[] data = { 2.0, 4.0, -1.0 };
            var args = new object?[] { a, data, 0.0 };
            double value = (double)Model.Method(T, "FloorGrad").Invoke(null, args)!;
            double m = Math.Max(a, data.Max());
            Numeric.Exact(m * a, value, "value");
            Numeric.Exact(a >= data.Max() ? 2 * a : m, (double)args[2]!, "dA");
        }
    }
}
