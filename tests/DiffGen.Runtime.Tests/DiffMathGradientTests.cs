using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>Every DiffMath pullback against Richardson-extrapolated central differences of the forward function.</summary>
    public class DiffMathGradientTests
    {
        // The forward functions are accurate to a few ulps, so the extrapolated differences are good to about 1e-10
        // relative at these points; 1e-8 still catches any wrong formula (a wrong factor or sign is an O(1) error).
        private const double RelTol = 1e-8;

        private static double ScalarDerivative(ScalarBackwardFunction backward, double x, out double value)
        {
            double dX = 0;
            value = backward(x, 1.0, ref dX);
            return dX;
        }

        private static void CheckScalar(Func<double, double> f, ScalarBackwardFunction backward, double x)
        {
            double analytic = ScalarDerivative(backward, x, out double value);
            Assert.Equal(f(x), value);
            double numeric = FiniteDifference.Derivative(f, x);
            Close.Equal(numeric, analytic, RelTol, 1e-300, $"derivative at {x:R}");
        }

        [Theory]
        [InlineData(-40.0)]
        [InlineData(-5.0)]
        [InlineData(-0.3)]
        [InlineData(0.0)]
        [InlineData(0.7)]
        [InlineData(5.0)]
        public void Sigmoid(double x) => CheckScalar(DiffMath.Sigmoid, DiffMath.SigmoidBackward, x);

        [Theory]
        [InlineData(-40.0)]
        [InlineData(-3.0)]
        [InlineData(0.0)]
        [InlineData(2.0)]
        [InlineData(40.0)]
        public void Softplus(double x) => CheckScalar(DiffMath.Softplus, DiffMath.SoftplusBackward, x);

        [Theory]
        [InlineData(-2.0)]
        [InlineData(-0.5)]
        [InlineData(0.5)]
        [InlineData(3.0)]
        public void Relu(double x) => CheckScalar(DiffMath.Relu, DiffMath.ReluBackward, x);

        [Theory]
        [InlineData(-3.0)]
        [InlineData(-1.0)]
        [InlineData(-0.3)]
        [InlineData(0.0)]
        [InlineData(0.2)]
        [InlineData(0.46875)] // the boundary between Cody's first and second interval
        [InlineData(0.5)]
        [InlineData(1.0)]
        [InlineData(2.5)]
        [InlineData(3.0)]
        public void Erf(double x) => CheckScalar(DiffMath.Erf, DiffMath.ErfBackward, x);

        [Theory]
        [InlineData(-2.0)]
        [InlineData(-0.3)]
        [InlineData(0.3)]
        [InlineData(1.0)]
        [InlineData(3.0)]
        [InlineData(4.5)] // Cody's third interval
        [InlineData(10.0)]
        [InlineData(20.0)]
        public void Erfc(double x) => CheckScalar(DiffMath.Erfc, DiffMath.ErfcBackward, x);

        [Theory]
        [InlineData(-37.0)]
        [InlineData(-30.0)]
        [InlineData(-10.0)]
        [InlineData(-3.0)]
        [InlineData(-0.5)]
        [InlineData(0.0)]
        [InlineData(0.5)]
        [InlineData(2.0)]
        [InlineData(3.0)]
        public void NormalCdf(double x) => CheckScalar(DiffMath.NormalCdf, DiffMath.NormalCdfBackward, x);

        [Theory]
        [InlineData(-30.0)]
        [InlineData(-3.0)]
        [InlineData(-1.0)]
        [InlineData(0.0)]
        [InlineData(0.5)]
        [InlineData(2.0)]
        [InlineData(30.0)]
        public void NormalPdf(double x) => CheckScalar(DiffMath.NormalPdf, DiffMath.NormalPdfBackward, x);

        [Theory]
        [InlineData(-2.0, 0.1)]
        [InlineData(-0.5, 0.3)]
        [InlineData(0.5, 0.1)]
        [InlineData(3.0, 0.2)]
        public void LeakyRelu(double x, double slope)
        {
            double dX = 0;
            double dSlope = 0;
            double value = DiffMath.LeakyReluBackward(x, slope, 1.0, ref dX, ref dSlope);
            Assert.Equal(DiffMath.LeakyRelu(x, slope), value);
            Close.Equal(FiniteDifference.Derivative(v => DiffMath.LeakyRelu(v, slope), x), dX, RelTol, 1e-300, "dX");
            Close.Equal(FiniteDifference.Derivative(s => DiffMath.LeakyRelu(x, s), slope), dSlope, RelTol, 1e-300, "dSlope");
        }

        public static TheoryData<double[]> Vectors => new()
        {
            new[] { 0.1, -2.0, 3.5 },
            new[] { 1000.0, 1000.5, 999.0 },
            new[] { -1000.0, -1001.0 },
            new[] { 0.25 },
        };

        [Theory]
        [MemberData(nameof(Vectors))]
        public void LogSumExp(double[] x)
        {
            double[] analytic = new double[x.Length];
            double value = DiffMath.LogSumExpBackward(x, 1.0, analytic);
            Assert.Equal(DiffMath.LogSumExp(x), value);
            double[] numeric = FiniteDifference.Gradient(DiffMath.LogSumExp, x);
            Close.All(numeric, analytic, RelTol, 1e-12);

            // The gradient is the softmax.
            double[] softmax = new double[x.Length];
            DiffMath.Softmax(x, softmax);
            Close.All(softmax, analytic, 1e-14);
        }

        [Theory]
        [MemberData(nameof(Vectors))]
        public void Sum(double[] x)
        {
            double[] analytic = new double[x.Length];
            double value = DiffMath.SumBackward(x, 1.0, analytic);
            Assert.Equal(DiffMath.Sum(x), value);
            Close.All(FiniteDifference.Gradient(DiffMath.Sum, x), analytic, RelTol, 1e-12);
        }

        [Fact]
        public void Dot()
        {
            double[] a = [0.3, -1.2, 2.5, 0.0];
            double[] b = [1.5, 0.25, -0.75, 4.0];
            double[] dA = new double[4];
            double[] dB = new double[4];
            double value = DiffMath.DotBackward(a, b, 1.0, dA, dB);
            Close.Equal(DiffMath.Dot(a, b), value, 0);
            Close.All(FiniteDifference.Gradient(x => DiffMath.Dot(x, b), a), dA, RelTol, 1e-12);
            Close.All(FiniteDifference.Gradient(x => DiffMath.Dot(a, x), b), dB, RelTol, 1e-12);
        }

        [Fact]
        public void MeanSquaredError()
        {
            double[] p = [0.3, -1.2, 2.5];
            double[] t = [1.0, -1.0, 2.0];
            double[] dP = new double[3];
            double[] dT = new double[3];
            double value = DiffMath.MeanSquaredErrorBackward(p, t, 1.0, dP, dT);
            Close.Equal((0.49 + 0.04 + 0.25) / 3, value, 1e-15);
            Close.All(FiniteDifference.Gradient(x => DiffMath.MeanSquaredError(x, t), p), dP, RelTol, 1e-12);
            Close.All(FiniteDifference.Gradient(x => DiffMath.MeanSquaredError(p, x), t), dT, RelTol, 1e-12);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(2)]
        public void SoftmaxCrossEntropy(int label)
        {
            double[] logits = [2.0, -1.0, 0.5];
            double[] analytic = new double[3];
            double value = DiffMath.SoftmaxCrossEntropyBackward(logits, label, 1.0, analytic);
            Close.Equal(DiffMath.LogSumExp(logits) - logits[label], value, 1e-15);
            Close.All(FiniteDifference.Gradient(x => DiffMath.SoftmaxCrossEntropy(x, label), logits), analytic, RelTol, 1e-12);

            // softmax − onehot sums to zero.
            Close.Equal(0.0, DiffMath.Sum(analytic), 0, 1e-15);
        }

        [Fact]
        public void SoftmaxCrossEntropyWithLargeLogits()
        {
            double[] logits = [1000.0, 0.0, -1000.0];
            double[] analytic = new double[3];
            double value = DiffMath.SoftmaxCrossEntropyBackward(logits, 1, 1.0, analytic);
            Assert.Equal(1000.0, value);
            Close.All([1.0, -1.0, 0.0], analytic, 1e-15);
        }

        [Fact]
        public void CheckerAgreesOnEveryScalarPullback()
        {
            // The same pullbacks through the public checker, so its one-line overloads are exercised on real code.
            GradientCheck.Assert(DiffMath.Softplus, DiffMath.SoftplusBackward, -1.5);
            GradientCheck.Assert(DiffMath.Erf, DiffMath.ErfBackward, 0.8);
            GradientCheck.Assert(DiffMath.Erfc, DiffMath.ErfcBackward, 1.7);
            GradientCheck.Assert(DiffMath.NormalCdf, DiffMath.NormalCdfBackward, -2.2);
            GradientCheck.Assert(DiffMath.NormalPdf, DiffMath.NormalPdfBackward, 1.1);
            GradientCheck.Assert(DiffMath.Sum, DiffMath.SumBackward, [1.0, 2.0]);
        }
    }
}
