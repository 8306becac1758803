namespace DiffGen
{
    /// <content>The error function and the standard normal distribution, accurate to a few ulps: W. J. Cody's rational approximations, with the Gaussian factor evaluated without rounding error in its exponent.</content>
    public static partial class DiffMath
    {
        /// <summary>The error function erf(x) = (2/√π) ∫₀ˣ e^−t² dt, to double precision (W. J. Cody's rational approximations).</summary>
        /// <param name="x">The argument.</param>
        /// <returns>erf(x), in [−1, 1].</returns>
        public static double Erf(double x) => ErrorFunction.Erf(x);

        /// <summary>Pullback of <see cref="Erf"/>: <c>dX += seed · (2/√π)·e^−x²</c>.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>erf(x).</returns>
        [DerivativeOf(nameof(Erf))]
        public static double ErfBackward(double x, double seed, ref double dX)
        {
            double erf = ErrorFunction.Erf(x, out double expMinusSquare);
            dX += seed * ErrorFunction.TwoOverSqrtPi * expMinusSquare;
            return erf;
        }

        /// <summary>
        /// The complementary error function erfc(x) = 1 − erf(x), with full relative accuracy where it is tiny
        /// (x up to about 26.5, beyond which it underflows).
        /// </summary>
        /// <param name="x">The argument.</param>
        /// <returns>erfc(x), in [0, 2].</returns>
        public static double Erfc(double x) => ErrorFunction.Erfc(x);

        /// <summary>Pullback of <see cref="Erfc"/>: <c>dX −= seed · (2/√π)·e^−x²</c>.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>erfc(x).</returns>
        [DerivativeOf(nameof(Erfc))]
        public static double ErfcBackward(double x, double seed, ref double dX)
        {
            double erfc = ErrorFunction.Erfc(x, out double expMinusSquare);
            dX -= seed * ErrorFunction.TwoOverSqrtPi * expMinusSquare;
            return erfc;
        }

        /// <summary>
        /// The standard normal CDF Φ(x) = ½·erfc(−x/√2), with full relative accuracy in the left tail
        /// (about 1e-15 down to x ≈ −37; it underflows below about −38.5).
        /// </summary>
        /// <param name="x">The argument.</param>
        /// <returns>Φ(x), in [0, 1].</returns>
        public static double NormalCdf(double x) => ErrorFunction.NormalCdf(x);

        /// <summary>Pullback of <see cref="NormalCdf"/>: <c>dX += seed · φ(x)</c>, φ being <see cref="NormalPdf"/>.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>Φ(x).</returns>
        [DerivativeOf(nameof(NormalCdf))]
        public static double NormalCdfBackward(double x, double seed, ref double dX)
        {
            double cdf = ErrorFunction.NormalCdf(x, out double expMinusHalfSquare);
            dX += seed * (ErrorFunction.InvSqrt2Pi * expMinusHalfSquare);
            return cdf;
        }

        /// <summary>The standard normal density φ(x) = e^−x²/2 / √(2π), accurate in relative terms also far in the tails.</summary>
        /// <param name="x">The argument.</param>
        /// <returns>φ(x).</returns>
        public static double NormalPdf(double x) => ErrorFunction.InvSqrt2Pi * ErrorFunction.ExpMinusHalfSquare(x);

        /// <summary>Pullback of <see cref="NormalPdf"/>: <c>dX += seed · (−x)·φ(x)</c>.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>φ(x).</returns>
        [DerivativeOf(nameof(NormalPdf))]
        public static double NormalPdfBackward(double x, double seed, ref double dX)
        {
            double pdf = NormalPdf(x);
            dX -= seed * x * pdf;
            return pdf;
        }
    }
}
