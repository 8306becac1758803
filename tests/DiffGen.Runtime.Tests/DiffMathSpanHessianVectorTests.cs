using System;
using System.Linq;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>
    /// The hand-written Hessian-vector products of the span helpers: value equal to F, gradient equal to the pullback's
    /// (the outputs are overwritten, not accumulated), and H·v equal to central differences of the pullback along the
    /// direction and to closed forms.
    /// </summary>
    public class DiffMathSpanHessianVectorTests
    {
        private static readonly double[] s_x = { 0.4, -1.2, 2.0, 0.1, -0.3 };
        private static readonly double[] s_y = { 1.5, 0.5, -0.75, 2.0, 0.0 };
        private static readonly double[] s_v = { -0.7, 0.2, 1.1, -0.4, 0.9 };
        private static readonly double[] s_u = { 0.3, -0.6, 0.5, 1.2, -1.0 };

        private const double Step = 1e-5;

        /// <summary>(∇F(x + h·v) − ∇F(x − h·v)) / 2h through a pullback: H·v to ~1e-10.</summary>
        private static double[] Differences(Func<double[], double[]> gradient, double[] x, double[] v)
        {
            var plus = gradient(x.Select((xi, i) => xi + Step * v[i]).ToArray());
            var minus = gradient(x.Select((xi, i) => xi - Step * v[i]).ToArray());
            return plus.Select((p, i) => (p - minus[i]) / (2 * Step)).ToArray();
        }

        private static void AllClose(double[] expected, double[] actual, double tolerance, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Close.Equal(expected[i], actual[i], tolerance, 1e-12, $"{what}[{i}]");
            }
        }

        private static double[] Filled(double value) => Enumerable.Repeat(value, s_x.Length).ToArray();

        [Fact]
        public void Sum()
        {
            double[] d = Filled(9), hv = Filled(9); // overwritten, not accumulated
            double value = DiffMath.SumHessianVector(s_x, s_v, d, hv);
            Assert.Equal(DiffMath.Sum(s_x), value);
            AllClose(Filled(1), d, 0, "gradient");
            AllClose(Filled(0), hv, 0, "H·v");
        }

        [Fact]
        public void Dot()
        {
            double[] dA = Filled(9), dB = Filled(9), hvA = Filled(9), hvB = Filled(9);
            double value = DiffMath.DotHessianVector(s_x, s_y, s_v, s_u, dA, dB, hvA, hvB);
            Assert.Equal(DiffMath.Dot(s_x, s_y), value);
            AllClose(s_y, dA, 0, "∂/∂a = b");
            AllClose(s_x, dB, 0, "∂/∂b = a");
            AllClose(s_u, hvA, 0, "(H·v)_a = ḃ");
            AllClose(s_v, hvB, 0, "(H·v)_b = ȧ");
        }

        [Fact]
        public void LogSumExp()
        {
            double[] d = Filled(9), hv = Filled(9);
            double value = DiffMath.LogSumExpHessianVector(s_x, s_v, d, hv);
            Assert.Equal(DiffMath.LogSumExp(s_x), value);
            var pullback = new double[s_x.Length];
            DiffMath.LogSumExpBackward(s_x, 1.0, pullback);
            AllClose(pullback, d, 1e-15, "gradient");
            Func<double[], double[]> gradient = x =>
            {
                var g = new double[x.Length];
                DiffMath.LogSumExpBackward(x, 1.0, g);
                return g;
            };
            AllClose(Differences(gradient, s_x, s_v), hv, 1e-8, "H·v vs differences");

            // Closed form: p ⊙ (v − p·v); and H·1 = 0 (shifting every logit leaves the softmax unchanged).
            double pv = pullback.Zip(s_v, (p, v) => p * v).Sum();
            AllClose(pullback.Select((p, i) => p * (s_v[i] - pv)).ToArray(), hv, 1e-14, "closed form");
            DiffMath.LogSumExpHessianVector(s_x, Filled(1), d, hv);
            AllClose(Filled(0), hv, 1e-15, "H·1");
        }

        [Fact]
        public void MeanSquaredError()
        {
            double[] dP = Filled(9), dT = Filled(9), hvP = Filled(9), hvT = Filled(9);
            double value = DiffMath.MeanSquaredErrorHessianVector(s_x, s_y, s_v, s_u, dP, dT, hvP, hvT);
            Assert.Equal(DiffMath.MeanSquaredError(s_x, s_y), value);
            double n = s_x.Length;
            AllClose(s_x.Select((p, i) => 2 * (p - s_y[i]) / n).ToArray(), dP, 1e-15, "∂/∂prediction");
            AllClose(s_x.Select((p, i) => -2 * (p - s_y[i]) / n).ToArray(), dT, 1e-15, "∂/∂target");
            AllClose(s_v.Select((v, i) => 2 * (v - s_u[i]) / n).ToArray(), hvP, 1e-15, "(H·v)_prediction");
            AllClose(s_v.Select((v, i) => -2 * (v - s_u[i]) / n).ToArray(), hvT, 1e-15, "(H·v)_target");
        }

        [Theory]
        [InlineData(0)]
        [InlineData(2)]
        public void SoftmaxCrossEntropy(int label)
        {
            double[] d = Filled(9), hv = Filled(9);
            double value = DiffMath.SoftmaxCrossEntropyHessianVector(s_x, label, s_v, d, hv);
            Assert.Equal(DiffMath.SoftmaxCrossEntropy(s_x, label), value);
            var pullback = new double[s_x.Length];
            DiffMath.SoftmaxCrossEntropyBackward(s_x, label, 1.0, pullback);
            AllClose(pullback, d, 1e-15, "gradient");
            Func<double[], double[]> gradient = x =>
            {
                var g = new double[x.Length];
                DiffMath.SoftmaxCrossEntropyBackward(x, label, 1.0, g);
                return g;
            };
            AllClose(Differences(gradient, s_x, s_v), hv, 1e-8, "H·v vs differences");
        }

        [Fact]
        public void A_direction_of_the_wrong_length_is_named()
        {
            var error = Assert.Throws<ArgumentException>(() => DiffMath.LogSumExpHessianVector(s_x, new double[2], new double[5], new double[5]));
            Assert.Equal("xDot", error.ParamName);
        }
    }
}
