using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>
    /// The hand-written Hessian-vector products of the scalar DiffMath helpers: value equal to F, gradient equal to the
    /// pullback's, and H·v equal to differences of the pullback's derivative times the direction and to closed forms.
    /// </summary>
    public class DiffMathHessianVectorTests
    {
        private delegate double HessianVector(double x, double xDot, out double dX, out double hvX);

        // Richardson-extrapolated differences of a derivative accurate to a few ulps: ~1e-10 relative; 1e-8 catches any
        // wrong factor or sign.
        private const double RelTol = 1e-8;

        private static double FirstDerivative(ScalarBackwardFunction backward, double x)
        {
            double dX = 0;
            backward(x, 1.0, ref dX);
            return dX;
        }

        private static void Check(Func<double, double> f, ScalarBackwardFunction backward, HessianVector hv, double x)
        {
            const double direction = -0.7;
            double value = hv(x, direction, out double dX, out double hvX);
            Assert.Equal(f(x), value);
            Assert.Equal(FirstDerivative(backward, x), dX, 15);
            double second = FiniteDifference.Derivative(y => FirstDerivative(backward, y), x);
            Close.Equal(second * direction, hvX, RelTol, 1e-300, $"F″(x)·v at {x:R}");
        }

        [Theory]
        [InlineData(-5.0)]
        [InlineData(-0.3)]
        [InlineData(0.7)]
        [InlineData(5.0)]
        public void Sigmoid(double x) => Check(DiffMath.Sigmoid, DiffMath.SigmoidBackward, DiffMath.SigmoidHessianVector, x);

        [Theory]
        [InlineData(-3.0)]
        [InlineData(0.4)]
        [InlineData(2.0)]
        public void Softplus(double x) => Check(DiffMath.Softplus, DiffMath.SoftplusBackward, DiffMath.SoftplusHessianVector, x);

        [Theory]
        [InlineData(-1.5)]
        [InlineData(-0.2)]
        [InlineData(0.3)]
        [InlineData(2.5)]
        public void Erf(double x) => Check(DiffMath.Erf, DiffMath.ErfBackward, DiffMath.ErfHessianVector, x);

        [Theory]
        [InlineData(-1.5)]
        [InlineData(0.3)]
        [InlineData(4.0)]
        public void Erfc(double x) => Check(DiffMath.Erfc, DiffMath.ErfcBackward, DiffMath.ErfcHessianVector, x);

        [Theory]
        [InlineData(-6.0)]
        [InlineData(-0.8)]
        [InlineData(1.2)]
        public void NormalCdf(double x) => Check(DiffMath.NormalCdf, DiffMath.NormalCdfBackward, DiffMath.NormalCdfHessianVector, x);

        [Theory]
        [InlineData(-2.0)]
        [InlineData(0.5)]
        [InlineData(3.0)]
        public void NormalPdf(double x) => Check(DiffMath.NormalPdf, DiffMath.NormalPdfBackward, DiffMath.NormalPdfHessianVector, x);

        [Theory]
        [InlineData(-2.0)]
        [InlineData(3.0)]
        public void ReluHasNoCurvatureAwayFromTheKink(double x)
        {
            double value = DiffMath.ReluHessianVector(x, 1.3, out double dX, out double hvX);
            Assert.Equal(DiffMath.Relu(x), value);
            Assert.Equal(FirstDerivative(DiffMath.ReluBackward, x), dX);
            Assert.Equal(0.0, hvX);
        }

        [Fact]
        public void SigmoidSecondDerivativeIsAccurateInBothTails()
        {
            // σ″ = σ′(1 − 2σ); far out σ′ ≈ e^−|x| and 1 − 2σ ≈ ∓1, so σ″(±40) ≈ ∓e^−40 to full relative accuracy,
            // where σ(x)(1 − σ(x))(1 − 2σ(x)) would round to 0 on the right.
            DiffMath.SigmoidHessianVector(40, 1, out _, out double right);
            DiffMath.SigmoidHessianVector(-40, 1, out _, out double left);
            double e = Math.Exp(-40);
            double exact = e * (1 - e) / Math.Pow(1 + e, 3);
            Close.Equal(-exact, right, 1e-14);
            Close.Equal(exact, left, 1e-14);
            DiffMath.SigmoidHessianVector(0, 1, out double slope, out double curvature);
            Assert.Equal(0.25, slope);
            Assert.Equal(0.0, curvature);
        }

        [Fact]
        public void NormalCdfSecondDerivativeIsMinusXTimesTheDensity()
        {
            foreach (double x in new[] { -2.5, -0.4, 0.9, 3.0 })
            {
                DiffMath.NormalCdfHessianVector(x, 2.0, out double dX, out double hvX);
                double pdf = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
                Close.Equal(pdf, dX, 1e-14);
                Close.Equal(-x * pdf * 2.0, hvX, 1e-14);
            }
        }

        [Theory]
        [InlineData(-1.2, 0.1)]
        [InlineData(0.8, 0.3)]
        public void LeakyReluHasOnlyTheMixedSecondDerivative(double x, double slope)
        {
            // f = slope·x for x ≤ 0, x otherwise: H = [[0, 1], [1, 0]] on the left, 0 on the right.
            double value = DiffMath.LeakyReluHessianVector(x, slope, 0.6, -0.9, out double dX, out double dSlope, out double hvX, out double hvSlope);
            double pullX = 0, pullSlope = 0;
            Assert.Equal(DiffMath.LeakyReluBackward(x, slope, 1.0, ref pullX, ref pullSlope), value);
            Assert.Equal(pullX, dX);
            Assert.Equal(pullSlope, dSlope);
            Assert.Equal(x > 0 ? 0.0 : -0.9, hvX);
            Assert.Equal(x > 0 ? 0.0 : 0.6, hvSlope);
        }
    }

    /// <summary>The hand-written tangents of the scalar DiffMath helpers: value equal to F, tangent equal to the pullback's derivative times the direction.</summary>
    public class DiffMathTangentTests
    {
        private delegate double Tangent(double x, double xDot, out double tangent);

        public static TheoryData<string> Names => new() { "Sigmoid", "Softplus", "Relu", "Erf", "Erfc", "NormalCdf", "NormalPdf" };

        private static (Func<double, double> F, ScalarBackwardFunction Backward, Tangent Tangent) Helper(string name) => name switch
        {
            "Sigmoid" => (DiffMath.Sigmoid, DiffMath.SigmoidBackward, DiffMath.SigmoidTangent),
            "Softplus" => (DiffMath.Softplus, DiffMath.SoftplusBackward, DiffMath.SoftplusTangent),
            "Relu" => (DiffMath.Relu, DiffMath.ReluBackward, DiffMath.ReluTangent),
            "Erf" => (DiffMath.Erf, DiffMath.ErfBackward, DiffMath.ErfTangent),
            "Erfc" => (DiffMath.Erfc, DiffMath.ErfcBackward, DiffMath.ErfcTangent),
            "NormalCdf" => (DiffMath.NormalCdf, DiffMath.NormalCdfBackward, DiffMath.NormalCdfTangent),
            _ => (DiffMath.NormalPdf, DiffMath.NormalPdfBackward, DiffMath.NormalPdfTangent),
        };

        [Theory]
        [MemberData(nameof(Names))]
        public void TangentIsThePullbacksDerivativeTimesTheDirection(string name)
        {
            var (f, backward, tangent) = Helper(name);
            foreach (double x in new[] { -3.5, -0.6, 0.4, 2.2, 30.0 })
            {
                double value = tangent(x, -1.7, out double t);
                double dX = 0;
                backward(x, 1.0, ref dX);
                Assert.Equal(f(x), value);
                Close.Equal(dX * -1.7, t, 1e-15, 1e-300, name + " at " + x);
            }
        }

        [Theory]
        [InlineData(-1.2, 0.1)]
        [InlineData(0.8, 0.3)]
        public void LeakyReluTangentIsTheGradientTimesTheDirection(double x, double slope)
        {
            double value = DiffMath.LeakyReluTangent(x, slope, 0.6, -0.9, out double t);
            double dX = 0, dSlope = 0;
            Assert.Equal(DiffMath.LeakyReluBackward(x, slope, 1.0, ref dX, ref dSlope), value);
            Assert.Equal(dX * 0.6 + dSlope * -0.9, t, 15);
        }
    }
}
