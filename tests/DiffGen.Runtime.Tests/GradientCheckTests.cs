using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    public class GradientCheckTests
    {
        // f(x) = x0²·x1 + sin(x2) + exp(x0·x2), ∇f = (2·x0·x1 + x2·e^{x0x2}, x0², cos(x2) + x0·e^{x0x2}).
        private static double F(ReadOnlySpan<double> x) => (x[0] * x[0] * x[1]) + Math.Sin(x[2]) + Math.Exp(x[0] * x[2]);

        private static double Grad(ReadOnlySpan<double> x, Span<double> g)
        {
            double e = Math.Exp(x[0] * x[2]);
            g[0] = (2 * x[0] * x[1]) + (x[2] * e);
            g[1] = x[0] * x[0];
            g[2] = Math.Cos(x[2]) + (x[0] * e);
            return F(x);
        }

        // The classic slip: forgetting the inner derivative of exp(x0·x2) in component 2.
        private static double WrongGrad(ReadOnlySpan<double> x, Span<double> g)
        {
            double value = Grad(x, g);
            g[2] = Math.Cos(x[2]) + Math.Exp(x[0] * x[2]);
            return value;
        }

        [Fact]
        public void CorrectGradientPasses()
        {
            GradientCheckResult result = GradientCheck.Compare(F, Grad, [0.7, -1.3, 0.4]);

            Assert.True(result.IsClose(), result.ToString());
            Assert.Equal(3, result.Count);
            Assert.Empty(result.FailingIndices());
            Assert.True(result.WorstRelativeError < 1e-8, result.ToString());
            Assert.InRange(result.WorstAbsoluteErrorIndex, 0, 2);

            // The one-line form used in user tests returns the same comparison.
            GradientCheck.Assert(F, Grad, [0.7, -1.3, 0.4]);
        }

        [Fact]
        public void WrongGradientIsDetectedAndTheReportNamesTheIndex()
        {
            double[] point = [0.7, -1.3, 0.4];
            GradientCheckResult result = GradientCheck.Compare(F, WrongGrad, point);

            Assert.False(result.IsClose());
            Assert.Equal(new[] { 2 }, result.FailingIndices());
            Assert.Equal(2, result.WorstAbsoluteErrorIndex);
            Assert.Equal(2, result.WorstRelativeErrorIndex);
            Assert.True(result.IsElementClose(0));
            Assert.False(result.IsElementClose(2));

            // The analytic value is off by e^{0.28}·(1 − 0.7); the numeric one is right.
            double expectedError = Math.Exp(0.28) * 0.3;
            Close.Equal(expectedError, result.WorstAbsoluteError, 1e-7);

            var ex = Assert.Throws<GradientCheckException>(() => GradientCheck.Assert(F, WrongGrad, point));
            Assert.NotNull(ex.Result);
            Assert.Contains("1 of 3", ex.Message);
            Assert.Contains("at index 2", ex.Message);
            string failingRow = Array.Find(ex.Message.Split('\n'), line => line.TrimEnd().EndsWith("FAIL", StringComparison.Ordinal))!;
            Assert.NotNull(failingRow);
            Assert.StartsWith("2", failingRow.TrimStart());
        }

        [Fact]
        public void ErrorsFollowTheDocumentedFormulas()
        {
            // f(x) = 3x has numeric derivative 3 (exactly, up to rounding); claim 3.3.
            GradientCheckResult result = GradientCheck.Compare(x => 3 * x[0], (x, g) => { g[0] = 3.3; return 3 * x[0]; }, [0.25]);
            Close.Equal(3.0, result.Numeric[0], 1e-9);
            Close.Equal(0.3, result.AbsoluteError[0], 1e-8);
            Close.Equal(0.3 / 3.3, result.RelativeError[0], 1e-8);
            Assert.Equal(3.3, result.Analytic[0]);
            Assert.Equal(0.25, result.Point[0]);
        }

        [Fact]
        public void AnElementPassesOnEitherTolerance()
        {
            // Constant function, claimed derivative 1e-9: relative error is 1 but absolute error 1e-9 is tiny.
            GradientCheckResult result = GradientCheck.Compare(_ => 5.0, (_, g) => { g[0] = 1e-9; return 5.0; }, [1.0]);
            Assert.Equal(1.0, result.RelativeError[0]);
            Assert.True(result.IsClose());
            Assert.False(result.IsClose(absTol: 1e-10, relTol: 1e-5));

            // Large derivative (2e6 at x = 1e6 for x²), off by 1: absolute error 1 but relative 5e-7.
            GradientCheckResult big = GradientCheck.Compare(x => x[0] * x[0], (x, g) => { g[0] = (2 * x[0]) + 1; return x[0] * x[0]; }, [1e6]);
            Assert.True(big.IsClose(), big.ToString());
            Assert.False(big.IsClose(relTol: 1e-8));
        }

        [Fact]
        public void StepScalesWithTheCoordinate()
        {
            // At x = 1e12 an unscaled step of 1e-6 is below half an ulp (1.2e-4): x ± h would round to x and the quotient
            // would be 0/0. Scaled by |x| the estimate is fine.
            GradientCheckResult result = GradientCheck.Compare(x => x[0] * x[0], (x, g) => { g[0] = 2 * x[0]; return x[0] * x[0]; }, [1e12]);
            Close.Equal(2e12, result.Numeric[0], 1e-8);
            Assert.True(result.IsClose());
        }

        [Fact]
        public void NaNGradientFails()
        {
            GradientCheckResult result = GradientCheck.Compare(F, (x, g) => { double v = Grad(x, g); g[1] = double.NaN; return v; }, [0.7, -1.3, 0.4]);
            Assert.False(result.IsClose());
            Assert.Equal(1, result.WorstAbsoluteErrorIndex);
            Assert.True(double.IsNaN(result.WorstAbsoluteError));
            Assert.Contains("NaN", result.ToString());
        }

        [Fact]
        public void WrongReturnedValueFails()
        {
            GradientCheckResult result = GradientCheck.Compare(F, (x, g) => Grad(x, g) + 1.0, [0.7, -1.3, 0.4]);
            Assert.Empty(result.FailingIndices());
            Assert.False(result.IsValueClose());
            Assert.False(result.IsClose());
            var ex = Assert.Throws<GradientCheckException>(() => GradientCheck.Assert(F, (x, g) => Grad(x, g) + 1.0, [0.7, -1.3, 0.4]));
            Assert.Contains("differs from f(x)", ex.Message);
        }

        [Fact]
        public void ScalarOverloadsWork()
        {
            GradientCheck.Assert(Math.Sin, Math.Cos, 0.5);
            GradientCheck.Assert(DiffMath.Sigmoid, DiffMath.SigmoidBackward, 0.3);
            GradientCheck.Assert(DiffMath.LeakyRelu, DiffMath.LeakyReluBackward, -0.8, 0.2);
            GradientCheck.Assert(DiffMath.LogSumExp, DiffMath.LogSumExpBackward, [0.5, -1.0, 2.0]);

            Assert.False(GradientCheck.Compare(Math.Sin, Math.Sin, 0.5).IsClose());
            Assert.Throws<GradientCheckException>(() => GradientCheck.Assert(Math.Exp, (double x, double seed, ref double dX) =>
            {
                dX += seed * 2 * Math.Exp(x);
                return Math.Exp(x);
            }, 1.0));
        }

        [Fact]
        public void BackwardOverloadStartsFromAZeroedAdjoint()
        {
            // A pullback that accumulates must still be checked correctly when Compare reuses nothing.
            GradientCheckResult result = GradientCheck.Compare(
                x => x[0] * x[1],
                (ReadOnlySpan<double> x, double seed, Span<double> d) =>
                {
                    d[0] += seed * x[1];
                    d[1] += seed * x[0];
                    return x[0] * x[1];
                },
                [2.0, 3.0]);
            Assert.True(result.IsClose(), result.ToString());
            Close.Equal(3.0, result.Analytic[0], 0);
            Close.Equal(2.0, result.Analytic[1], 0);
        }

        [Fact]
        public void EmptyPointIsTriviallyClose()
        {
            GradientCheckResult result = GradientCheck.Compare(_ => 1.0, (_, _) => 1.0, ReadOnlySpan<double>.Empty);
            Assert.True(result.IsClose());
            Assert.Equal(-1, result.WorstAbsoluteErrorIndex);
            Assert.Equal(-1, result.WorstRelativeErrorIndex);
        }

        [Fact]
        public void ToStringHasOneRowPerComponent()
        {
            string table = GradientCheck.Compare(F, WrongGrad, [0.7, -1.3, 0.4]).ToString();
            string[] lines = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

            // summary, value, worst, header, 3 rows.
            Assert.Equal(7, lines.Length);
            Assert.Contains("analytic", lines[3]);
            Assert.EndsWith("ok", lines[4]);
            Assert.EndsWith("ok", lines[5]);
            Assert.EndsWith("FAIL", lines[6]);
        }

        [Fact]
        public void LongTablesListOnlyFailingAndWorstRows()
        {
            const int N = 200;
            double[] point = new double[N];
            string table = GradientCheck.Compare(
                x => DiffMath.Dot(x, x),
                (x, g) =>
                {
                    for (int i = 0; i < x.Length; i++)
                    {
                        g[i] = 2 * x[i];
                    }

                    g[137] += 1.0;
                    return DiffMath.Dot(x, x);
                },
                point).ToString();
            Assert.Contains("FAIL", table);
            Assert.Contains("omitted", table);
            Assert.True(table.Split(Environment.NewLine).Length < 20, table);
        }

        [Fact]
        public void InvalidArgumentsThrow()
        {
            Assert.Throws<ArgumentNullException>(() => GradientCheck.Compare(null!, Grad, [1.0]));
            Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Compare(F, Grad, [1.0, 2.0, 3.0], step: 0));
        }
    }
}
