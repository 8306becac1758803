using System;
using DiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// <c>FGradient</c> does not clear an adjoint array that its fused loop stores whole: a loop from 0 to
    /// <c>x.Length - 1</c> whose carried stores (<c>dX[i] = dXCarry - …</c>) are the first write to each element, and a
    /// flush that stores the last one (docs/reverse-sweep.md rule 9). Every model runs on an adjoint buffer filled with
    /// NaN, so an element the generated code neither clears nor stores shows as NaN against the finite differences.
    /// </summary>
    public class StoredWholeTests
    {
        private const string Source = """
            using System;
            using DiffGen;

            namespace Whole
            {
                public static partial class M
                {
                    // Rosenbrock's shape: every element stored, no clear.
                    [Differentiable]
                    public static double Chain(ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        for (int i = 0; i < x.Length - 1; i++)
                        {
                            double t = x[i + 1] - x[i] * x[i];
                            sum += 3.0 * t * t + Math.Cos(x[i]);
                        }

                        return sum;
                    }

                    // The loop starts at 1: element 0 is never stored, so it is cleared.
                    [Differentiable]
                    public static double FromOne(ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        for (int i = 1; i < x.Length - 1; i++)
                        {
                            double t = x[i + 1] - x[i] * x[i];
                            sum += t * t + x[i];
                        }

                        return sum;
                    }

                    // The loop stops one short: the last element is never stored, so it is cleared.
                    [Differentiable]
                    public static double Short(ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        for (int i = 0; i < x.Length - 2; i++)
                        {
                            double t = x[i + 1] - x[i] * x[i];
                            sum += t * t + x[i];
                        }

                        return sum;
                    }

                    // A statement before the loop reads x[0]: its reverse sweep adds into dX[0] after the stores.
                    [Differentiable]
                    public static double Before(ReadOnlySpan<double> x)
                    {
                        double sum = x[0] * x[0];
                        for (int i = 0; i < x.Length - 1; i++)
                        {
                            double t = x[i + 1] - x[i] * x[i];
                            sum += t * t;
                        }

                        return sum;
                    }

                    public static double ChainValue(double[] x) => Chain(x);
                    public static double ChainGrad(double[] x, double[] d) => ChainGradient(x, d);
                    public static double FromOneValue(double[] x) => FromOne(x);
                    public static double FromOneGrad(double[] x, double[] d) => FromOneGradient(x, d);
                    public static double ShortValue(double[] x) => Short(x);
                    public static double ShortGrad(double[] x, double[] d) => ShortGradient(x, d);
                    public static double BeforeValue(double[] x) => Before(x);
                    public static double BeforeGrad(double[] x, double[] d) => BeforeGradient(x, d);
                }
            }
            """;

        private static readonly Lazy<Compiled> s_model = new(() => Compiled.Load(Source));
        private static readonly Lazy<GeneratorRun> s_run = new(() => GeneratorHarness.Run(Source));

        private const string T = "Whole.M";

        private static string Gradient(string method) => s_run.Value.Gradient("M." + method + ".g.cs", method);

        [Theory]
        [InlineData("Chain", false, 1)] // the loop does not run: the flush stores dX[0] = 0
        [InlineData("Chain", false, 2)]
        [InlineData("Chain", false, 9)]
        [InlineData("FromOne", true, 3)]
        [InlineData("FromOne", true, 8)]
        [InlineData("Short", true, 2)]
        [InlineData("Short", true, 8)]
        [InlineData("Before", false, 1)]
        [InlineData("Before", false, 6)]
        public void An_adjoint_is_cleared_unless_the_loop_stores_every_element(string method, bool cleared, int length)
        {
            var x = new double[length];
            for (int i = 0; i < length; i++)
            {
                x[i] = 0.4 * Math.Sin(1.1 * i + 0.3);
            }

            var d = new double[length];
            Array.Fill(d, double.NaN);
            s_model.Value.Invoke(T, method + "Grad", x, d);
            Numeric.MatchesFiniteDifferences(v => (double)s_model.Value.Invoke(T, method + "Value", v)!, x, d, "finite differences on a NaN-filled buffer");
            Assert.Equal(cleared, Gradient(method).Contains("dX.Clear();", StringComparison.Ordinal));
        }

        [Fact]
        public void The_empty_input_touches_nothing()
        {
            var d = Array.Empty<double>();
            Assert.Equal(0.0, (double)s_model.Value.Invoke(T, "ChainGrad", Array.Empty<double>(), d)!);
        }
    }
}
