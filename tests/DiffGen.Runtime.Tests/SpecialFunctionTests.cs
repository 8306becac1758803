using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace DiffGen.Runtime.Tests
{
    /// <summary>
    /// erf, erfc, Φ and φ against references. Each published value below was taken from 50-digit mpmath output and is
    /// re-derived inside the test by <see cref="HighPrecision"/> (exact BigInteger Taylor series), so a mistyped digit
    /// fails the first theory instead of silently lowering the bar.
    /// </summary>
    public class SpecialFunctionTests
    {
        /// <summary>
        /// The required accuracy, as a relative error. Cody's approximations are good to ~1e-18 and the evaluation costs a
        /// few roundings (observed worst case is a few ulps, i.e. below 1e-15); 1e-14 leaves headroom for a different
        /// libm <c>exp</c> while still failing for any single-precision-grade formula (Abramowitz–Stegun 7.1.26 is ~1e-7).
        /// </summary>
        private const double Accuracy = 1e-14;

        private readonly ITestOutputHelper _output;

        public SpecialFunctionTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public static TheoryData<string, double, double> Published => new()
        {
            { "erf", 0.5, 0.5204998778130465 },
            { "erf", 1.0, 0.8427007929497149 },
            { "erf", 2.0, 0.9953222650189527 },
            { "erf", 0.1, 0.1124629160182849 },
            { "erf", 3.0, 0.9999779095030014 },
            { "erfc", 1.0, 0.15729920705028513 },
            { "erfc", 5.0, 1.537459794428035e-12 },
            { "erfc", 10.0, 2.088487583762545e-45 },
            { "erfc", 26.0, 5.663192408856143e-296 },
            { "ncdf", -1.0, 0.15865525393145705 },
            { "ncdf", -3.0, 0.0013498980316300946 },
            { "ncdf", -10.0, 7.619853024160525e-24 },
            { "ncdf", -20.0, 2.7536241186062337e-89 },
            { "ncdf", -30.0, 4.906713927148187e-198 },
            { "ncdf", -37.0, 5.725571222524577e-300 },
            { "ncdf", 0.5, 0.6914624612740131 },
            { "ncdf", 2.0, 0.9772498680518208 },
        };

        private static double Implementation(string function, double x) => function switch
        {
            "erf" => DiffMath.Erf(x),
            "erfc" => DiffMath.Erfc(x),
            "ncdf" => DiffMath.NormalCdf(x),
            "npdf" => DiffMath.NormalPdf(x),
            _ => throw new ArgumentOutOfRangeException(nameof(function)),
        };

        private static double Reference(string function, double x) => function switch
        {
            "erf" => HighPrecision.Erf(x),
            "erfc" => HighPrecision.Erfc(x),
            "ncdf" => HighPrecision.NormalCdf(x),
            "npdf" => HighPrecision.NormalPdf(x),
            _ => throw new ArgumentOutOfRangeException(nameof(function)),
        };

        [Theory]
        [MemberData(nameof(Published))]
        public void PublishedValuesAgreeWithTheSeries(string function, double x, double published)
        {
            // Two independent computations of the reference: both round the true value, so they agree to an ulp.
            Close.Equal(published, Reference(function, x), 2.5e-16, 0, $"{function}({x})");
        }

        [Theory]
        [MemberData(nameof(Published))]
        public void ImplementationMatchesPublishedValues(string function, double x, double published)
        {
            double actual = Implementation(function, x);
            double error = Close.RelativeError(published, actual);
            _output.WriteLine($"{function}({x:R}) = {actual:R}, relative error {error:G3}");
            Assert.True(error <= Accuracy, $"{function}({x:R}): expected {published:R}, got {actual:R}, relative error {error:G3}.");
        }

        [Theory]
        [InlineData("erf", -6.0, 6.0, 0.0937)]
        [InlineData("erfc", -3.0, 26.5, 0.373)]
        [InlineData("ncdf", -37.5, 8.5, 0.613)]
        [InlineData("npdf", -37.5, 37.5, 1.17)]
        public void ImplementationMatchesTheSeriesAcrossTheRange(string function, double from, double to, double stride)
        {
            // Strides are irregular on purpose so the grid does not sit on Cody's interval boundaries only.
            double worst = 0;
            double worstAt = double.NaN;
            for (double x = from; x <= to; x += stride)
            {
                double xi = Math.Round(x, 6); // a short decimal, exactly what a user might pass
                if (xi == 0 && function != "ncdf" && function != "npdf")
                {
                    continue; // erf(0) = 0 has no relative error; checked separately
                }

                double expected = Reference(function, xi);
                double error = Close.RelativeError(expected, Implementation(function, xi));
                if (!(error <= worst))
                {
                    worst = error;
                    worstAt = xi;
                }
            }

            _output.WriteLine($"{function}: worst relative error {worst:G3} at x = {worstAt:R}");
            Assert.True(worst <= Accuracy, $"{function}: worst relative error {worst:G3} at x = {worstAt:R}.");
        }

        [Theory]
        [InlineData(0.46875)]
        [InlineData(0.4687499999999999)]
        [InlineData(0.46875000000000006)]
        [InlineData(4.0)]
        [InlineData(4.000000000000001)]
        [InlineData(1e-5)]
        [InlineData(-1e-3)]
        public void ErfIsAccurateAtIntervalBoundariesAndNearZero(double x)
        {
            Assert.True(Close.RelativeError(HighPrecision.Erf(x), DiffMath.Erf(x)) <= Accuracy);
            Assert.True(Close.RelativeError(HighPrecision.Erfc(x), DiffMath.Erfc(x)) <= Accuracy);
        }

        [Theory]
        [InlineData(0.6629126073623883)] // 0.46875·√2, where NormalCdf changes interval
        [InlineData(-0.6629126073623883)]
        [InlineData(-0.6629126073623884)]
        [InlineData(-5.656854249492381)] // 4·√2
        [InlineData(-5.65685424949238)]
        public void NormalCdfIsAccurateAtIntervalBoundaries(double x)
        {
            Assert.True(Close.RelativeError(HighPrecision.NormalCdf(x), DiffMath.NormalCdf(x)) <= Accuracy);
        }

        [Fact]
        public void DensitiesNearTheCentreAreAccurateToAboutAnUlp()
        {
            // Where erf and Φ are rational functions (|x| ≤ 0.46875, |x| ≤ 0.46875·√2) the densities their derivatives
            // need come from a polynomial instead of Math.Exp. It must be as good as exp: a few roundings, not the 1e-14
            // of the range-wide tests (a series cut two terms short is off by ~7e-14 at the edge). With Math.Exp the
            // worst errors on this grid were 3.4e-16 (φ, which also rounds 1/√(2π) and a product) and 2.3e-16 (erf').
            const double Tight = 4e-16;
            double worstPdf = 0;
            double worstErf = 0;
            for (double x = -0.6629; x <= 0.6629; x += 0.00731)
            {
                double xi = Math.Round(x, 6);
                double dCdf = 0;
                DiffMath.NormalCdfBackward(xi, 1.0, ref dCdf);
                double pdf = HighPrecision.NormalPdf(xi);
                worstPdf = Math.Max(worstPdf, Math.Max(Close.RelativeError(pdf, DiffMath.NormalPdf(xi)), Close.RelativeError(pdf, dCdf)));

                double y = xi * 0.70710678118654752440; // the same density's point on erf's scale, |y| ≤ 0.46875
                double yi = Math.Round(y, 6);
                double dErf = 0;
                DiffMath.ErfBackward(yi, 1.0, ref dErf);
                worstErf = Math.Max(worstErf, Close.RelativeError(1.1283791670955125739 * HighPrecision.ExpMinusSquare(yi), dErf));
            }

            _output.WriteLine($"worst relative error: φ {worstPdf:G3}, erf' {worstErf:G3}");
            Assert.True(worstPdf <= Tight, $"φ near the centre: worst relative error {worstPdf:G3}.");
            Assert.True(worstErf <= Tight, $"erf' near the centre: worst relative error {worstErf:G3}.");
        }

        [Fact]
        public void LimitsAndSpecialValues()
        {
            Assert.Equal(0.0, DiffMath.Erf(0.0));
            Assert.Equal(1.0, DiffMath.Erf(double.PositiveInfinity));
            Assert.Equal(-1.0, DiffMath.Erf(double.NegativeInfinity));
            Assert.Equal(0.0, DiffMath.Erfc(double.PositiveInfinity));
            Assert.Equal(2.0, DiffMath.Erfc(double.NegativeInfinity));
            Assert.Equal(0.5, DiffMath.NormalCdf(0.0));
            Assert.Equal(0.0, DiffMath.NormalCdf(double.NegativeInfinity));
            Assert.Equal(1.0, DiffMath.NormalCdf(double.PositiveInfinity));
            Assert.Equal(0.0, DiffMath.NormalPdf(double.PositiveInfinity));
            Assert.True(double.IsNaN(DiffMath.Erf(double.NaN)));
            Assert.True(double.IsNaN(DiffMath.Erfc(double.NaN)));
            Assert.True(double.IsNaN(DiffMath.NormalCdf(double.NaN)));
            Assert.True(double.IsNaN(DiffMath.NormalPdf(double.NaN)));

            // The left tail is representable down to about −38.4 (subnormal) and must not be flushed to 0 early.
            Assert.True(DiffMath.NormalCdf(-38.0) > 0);
            Close.Equal(2.88542835e-316, DiffMath.NormalCdf(-38.0), 1e-6); // subnormal: only ~24 bits are left

            // erf is odd, Φ(x) + Φ(−x) = 1.
            Assert.Equal(-DiffMath.Erf(0.7), DiffMath.Erf(-0.7));
            Close.Equal(1.0, DiffMath.NormalCdf(1.3) + DiffMath.NormalCdf(-1.3), 1e-16);
        }

        [Fact]
        public void DerivativesMatchTheirClosedForms()
        {
            double dErf = 0;
            DiffMath.ErfBackward(0.0, 1.0, ref dErf);
            Close.Equal(1.1283791670955126, dErf, 1e-16); // 2/√π

            double dCdf = 0;
            DiffMath.NormalCdfBackward(0.0, 1.0, ref dCdf);
            Close.Equal(0.3989422804014327, dCdf, 1e-16); // 1/√(2π)

            // Far in the tail the density keeps full relative accuracy (the series is the reference).
            double dTail = 0;
            DiffMath.NormalCdfBackward(-37.0, 1.0, ref dTail);
            Assert.True(Close.RelativeError(HighPrecision.NormalPdf(-37.0), dTail) <= Accuracy);
        }
    }
}
