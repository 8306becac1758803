using System;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>
    /// erf, erfc and Φ are built from the same Gaussian exponential their derivatives need (in the tails), so each
    /// pullback, tangent and Hessian-vector rule computes it once for both. Sharing must change no value: each rule
    /// returns exactly the function's value and exactly the derivative the separate formulas give.
    /// </summary>
    public class SharedExponentialTests
    {
        // Squares of these are exact in binary, so Math.Exp(-x * x) is a faithful reference for e^−x².
        private static readonly double[] s_points =
        {
            0.0, 0.25, -0.25, 0.46875, -0.46875, 0.5, -0.5, 0.6875, -0.6875, 1.0, -1.0, 1.5, -1.5, 2.0, -2.0, 2.5, -3.5,
            4.0, -5.5, 6.0, -6.0, 6.5, -6.5, 10.0, -10.0, 26.5, -26.5, 27.5, -28.0, 38.0, -38.0, 39.0, -39.5, 40.0,
        };

        public static TheoryData<double> Points => new(s_points);

        public static TheoryData<double, bool> PointsForErfAndErfc
        {
            get
            {
                var data = new TheoryData<double, bool>();
                foreach (double x in s_points)
                {
                    data.Add(x, false);
                    data.Add(x, true);
                }

                return data;
            }
        }

        [Theory]
        [MemberData(nameof(PointsForErfAndErfc))]
        public void Erf_and_erfc_rules_return_the_value_and_its_derivative(double x, bool complement)
        {
            double value = complement ? DiffMath.Erfc(x) : DiffMath.Erf(x);
            double expected = (complement ? -1.1283791670955125739 : 1.1283791670955125739) * Math.Exp(-x * x);
            double dX = 0;
            Assert.Equal(value, complement ? DiffMath.ErfcBackward(x, 1.0, ref dX) : DiffMath.ErfBackward(x, 1.0, ref dX));
            AssertClose(expected, dX);
            double tangent = 0;
            Assert.Equal(value, complement ? DiffMath.ErfcTangent(x, 1.0, out tangent) : DiffMath.ErfTangent(x, 1.0, out tangent));
            Assert.Equal(dX, tangent);
            double d = 0, hv = 0;
            Assert.Equal(value, complement ? DiffMath.ErfcHessianVector(x, 1.0, out d, out hv) : DiffMath.ErfHessianVector(x, 1.0, out d, out hv));
            Assert.Equal(dX, d);
            Assert.Equal(-2.0 * x * dX, hv);
        }

        [Theory]
        [MemberData(nameof(Points))]
        public void NormalCdf_rules_return_Phi_and_exactly_phi(double x)
        {
            double dX = 0;
            Assert.Equal(DiffMath.NormalCdf(x), DiffMath.NormalCdfBackward(x, 1.0, ref dX));
            Assert.Equal(DiffMath.NormalPdf(x), dX);
            Assert.Equal(DiffMath.NormalCdf(x), DiffMath.NormalCdfTangent(x, 1.0, out double tangent));
            Assert.Equal(DiffMath.NormalPdf(x), tangent);
            Assert.Equal(DiffMath.NormalCdf(x), DiffMath.NormalCdfHessianVector(x, 1.0, out double d, out double hv));
            Assert.Equal(DiffMath.NormalPdf(x), d);
            Assert.Equal(-x * DiffMath.NormalPdf(x), hv);
        }

        private static void AssertClose(double expected, double actual)
        {
            if (expected == 0)
            {
                Assert.Equal(0.0, actual);
                return;
            }

            double relative = Math.Abs(actual - expected) / Math.Abs(expected);
            Assert.True(relative < 1e-14, $"expected {expected:R}, got {actual:R} (relative error {relative:E2})");
        }
    }
}
