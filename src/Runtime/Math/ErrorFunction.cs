using System;
using System.Runtime.CompilerServices;

namespace DiffGen
{
    /// <summary>
    /// The error function and the normal distribution in double precision, after W. J. Cody, "Rational Chebyshev
    /// approximations for the error function", Math. Comp. 23 (1969) 631–637, as in his SPECFUN routine CALERF
    /// (public domain). The rational approximations are accurate to about 18 significant digits, so what is left is
    /// double rounding: a few ulps over the whole range.
    /// </summary>
    /// <remarks>
    /// Three intervals of y = |x|: erf itself on [0, 0.46875]; on (0.46875, 4] and beyond 4 the scaled complement
    /// exp(y²)·erfc(y), which is smooth and is then multiplied by exp(−y²). That factor is where accuracy is usually lost:
    /// y² is not exact, and an error δ in the exponent becomes a relative error δ in the result (at y = 26, y² ≈ 676 has
    /// an ulp near 1e-13). Cody's remedy, used here, splits y = t + r with t = y truncated to a multiple of 1/16: t² is
    /// exact and exp(−y²) = exp(−t²)·exp(−(y − t)(y + t)), where the second exponent is small.
    /// The normal CDF gets the same treatment in its own variable: Φ(x) = ½·erfc(−x/√2) evaluated literally would put
    /// the rounding of x/√2 into the exponent (relative error ~x²·1e-16, ~1e-13 at x = −37), so the tail instead is
    /// ½·[exp(z²)erfc(z)]·exp(−x²/2) with z = |x|/√2 only inside the well-conditioned scaled factor.
    /// </remarks>
    internal static class ErrorFunction
    {
        /// <summary>Below this |x| erf is evaluated directly; above it through the scaled complement.</summary>
        internal const double Threshold = 0.46875;

        /// <summary>1/√π.</summary>
        internal const double InvSqrtPi = 0.56418958354775628695;

        /// <summary>2/√π, the derivative of erf at 0.</summary>
        internal const double TwoOverSqrtPi = 1.1283791670955125739;

        /// <summary>√2.</summary>
        internal const double Sqrt2 = 1.4142135623730950488;

        /// <summary>1/√2.</summary>
        internal const double InvSqrt2 = 0.70710678118654752440;

        /// <summary>1/√(2π), the normal density at 0.</summary>
        internal const double InvSqrt2Pi = 0.39894228040143267794;

        // erf on [0, 0.46875]: x·A(x²)/B(x²).
        private const double A0 = 3.16112374387056560e00;
        private const double A1 = 1.13864154151050156e02;
        private const double A2 = 3.77485237685302021e02;
        private const double A3 = 3.20937758913846947e03;
        private const double A4 = 1.85777706184603153e-1;
        private const double B0 = 2.36012909523441209e01;
        private const double B1 = 2.44024637934444173e02;
        private const double B2 = 1.28261652607737228e03;
        private const double B3 = 2.84423683343917062e03;

        // exp(y²)·erfc(y) on (0.46875, 4]: C(y)/D(y).
        private const double C0 = 5.64188496988670089e-1;
        private const double C1 = 8.88314979438837594e00;
        private const double C2 = 6.61191906371416295e01;
        private const double C3 = 2.98635138197400131e02;
        private const double C4 = 8.81952221241769090e02;
        private const double C5 = 1.71204761263407058e03;
        private const double C6 = 2.05107837782607147e03;
        private const double C7 = 1.23033935479799725e03;
        private const double C8 = 2.15311535474403846e-8;
        private const double D0 = 1.57449261107098347e01;
        private const double D1 = 1.17693950891312499e02;
        private const double D2 = 5.37181101862009858e02;
        private const double D3 = 1.62138957456669019e03;
        private const double D4 = 3.29079923573345963e03;
        private const double D5 = 4.36261909014324716e03;
        private const double D6 = 3.43936767414372164e03;
        private const double D7 = 1.23033935480374942e03;

        // exp(y²)·erfc(y) for y > 4: (1/√π − u·P(u)/Q(u)) / y with u = 1/y².
        private const double P0 = 3.05326634961232344e-1;
        private const double P1 = 3.60344899949804439e-1;
        private const double P2 = 1.25781726111229246e-1;
        private const double P3 = 1.60837851487422766e-2;
        private const double P4 = 6.58749161529837803e-4;
        private const double P5 = 1.63153871373020978e-2;
        private const double Q0 = 2.56852019228982242e00;
        private const double Q1 = 1.87295284992346047e00;
        private const double Q2 = 5.27905102951428412e-1;
        private const double Q3 = 6.05183413124413191e-2;
        private const double Q4 = 2.33520497626869185e-3;

        /// <summary>erf(x) for |x| ≤ <see cref="Threshold"/>.</summary>
        internal static double ErfSmall(double x)
        {
            double z = x * x;
            double num = A4 * z;
            double den = z;
            num = (num + A0) * z;
            den = (den + B0) * z;
            num = (num + A1) * z;
            den = (den + B1) * z;
            num = (num + A2) * z;
            den = (den + B2) * z;
            return x * (num + A3) / (den + B3);
        }

        /// <summary>exp(y²)·erfc(y) for y &gt; <see cref="Threshold"/> (0 for y = +∞).</summary>
        internal static double ScaledErfc(double y)
        {
            if (y <= 4.0)
            {
                double num = C8 * y;
                double den = y;
                num = (num + C0) * y;
                den = (den + D0) * y;
                num = (num + C1) * y;
                den = (den + D1) * y;
                num = (num + C2) * y;
                den = (den + D2) * y;
                num = (num + C3) * y;
                den = (den + D3) * y;
                num = (num + C4) * y;
                den = (den + D4) * y;
                num = (num + C5) * y;
                den = (den + D5) * y;
                num = (num + C6) * y;
                den = (den + D6) * y;
                return (num + C7) / (den + D7);
            }

            double u = 1.0 / (y * y);
            double pn = P5 * u;
            double qn = u;
            pn = (pn + P0) * u;
            qn = (qn + Q0) * u;
            pn = (pn + P1) * u;
            qn = (qn + Q1) * u;
            pn = (pn + P2) * u;
            qn = (qn + Q2) * u;
            pn = (pn + P3) * u;
            qn = (qn + Q3) * u;
            double r = u * (pn + P4) / (qn + Q4);
            return (InvSqrtPi - r) / y;
        }

        /// <summary>
        /// e^−u for 0 ≤ u ≤ <see cref="Threshold"/>² (≈ 0.22) as a polynomial, without a call to <see cref="Math.Exp"/>.
        /// </summary>
        /// <remarks>
        /// This is the argument range where erf and Φ are rational functions and need no exponential for their value, so
        /// the density that their derivatives need (e^−x², e^−x²/2) would otherwise cost an <c>exp</c> call of its own (in
        /// a Black–Scholes gradient, one per Φ). The Taylor series of degree 11 is enough here: the series
        /// alternates, so its truncation error is below the first omitted term u¹²/12! ≤ 2.7e-17, a quarter of an ulp of
        /// a result that is at least 0.8. Estrin's scheme (pairs, then u², u⁴, u⁸) keeps the dependency chain four
        /// multiply-adds long instead of Horner's eleven; it stays within an ulp of <see cref="Math.Exp"/>.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // a dozen flops: a call would cost as much as it saves
        internal static double ExpMinusSmall(double u)
        {
            double u2 = u * u;
            double u4 = u2 * u2;
            double p23 = (1.0 / 2.0) - (u * (1.0 / 6.0));
            double p45 = (1.0 / 24.0) - (u * (1.0 / 120.0));
            double p67 = (1.0 / 720.0) - (u * (1.0 / 5040.0));
            double p89 = (1.0 / 40320.0) - (u * (1.0 / 362880.0));
            double p1011 = (1.0 / 3628800.0) - (u * (1.0 / 39916800.0));
            double high = p89 + (u2 * p1011);
            double tail = (u2 * p23) + (u4 * (p45 + (u2 * p67))) + (u4 * u4 * high);

            // 1 − u + tail, with 1 added last: the small terms' roundings are then relative to ≤ 0.22, not to 1.
            return 1.0 + (tail - u);
        }

        /// <summary>exp(−x²) without the rounding error of x² (see the class remarks).</summary>
        internal static double ExpMinusSquare(double x)
        {
            double y = Math.Abs(x);

            // Where erf needs no exponential for its value, its derivative should not pay for one either.
            if (y <= Threshold)
            {
                return ExpMinusSmall(y * y);
            }

            // Up to y² = 2 the rounding of y² (relative 2⁻⁵³, so at most 2·2⁻⁵³ absolute in the exponent) costs about
            // an ulp of the result, as much as the split's extra product does: one exp is enough.
            if (y <= 1.4)
            {
                return Math.Exp(-y * y);
            }

            // exp(−27.5²) underflows; returning early also keeps ∞ out of the split below (∞ − ∞ would be NaN).
            if (y > 27.5)
            {
                return 0.0;
            }

            double t = Math.Truncate(y * 16.0) / 16.0;
            double del = (y - t) * (y + t);
            return Math.Exp(-t * t) * Math.Exp(-del);
        }

        /// <summary>exp(−x²/2) without the rounding error of x² (see the class remarks).</summary>
        internal static double ExpMinusHalfSquare(double x)
        {
            double y = Math.Abs(x);

            // Where Φ needs no exponential for its value (|x|/√2 ≤ Threshold), neither does φ; see ExpMinusSmall.
            if (y <= Threshold * Sqrt2)
            {
                return ExpMinusSmall(0.5 * y * y);
            }

            // Near the centre one exp is as accurate as the split; see ExpMinusSquare.
            if (y <= 2.0)
            {
                return Math.Exp(-0.5 * y * y);
            }

            // exp(−39²/2) underflows; see ExpMinusSquare.
            if (y > 39.0)
            {
                return 0.0;
            }

            double t = Math.Truncate(y * 16.0) / 16.0;
            double del = (y - t) * (y + t);
            return Math.Exp(-0.5 * t * t) * Math.Exp(-0.5 * del);
        }

        /// <summary>erf(x).</summary>
        internal static double Erf(double x)
        {
            double y = Math.Abs(x);
            if (y <= Threshold)
            {
                return ErfSmall(x);
            }

            // erfc(6) ≈ 2e-17 is below half an ulp of 1, so erf is ±1 from here on (this also covers ±∞).
            if (y >= 6.0)
            {
                return x > 0 ? 1.0 : -1.0;
            }

            double complement = ScaledErfc(y) * ExpMinusSquare(y);
            double result = (0.5 - complement) + 0.5;
            return x < 0 ? -result : result;
        }

        /// <summary>erfc(x) = 1 − erf(x), with full relative accuracy for large positive x.</summary>
        internal static double Erfc(double x)
        {
            double y = Math.Abs(x);
            if (y <= Threshold)
            {
                return 1.0 - ErfSmall(x);
            }

            if (y > 27.5)
            {
                return x > 0 ? 0.0 : 2.0;
            }

            double complement = ScaledErfc(y) * ExpMinusSquare(y);
            return x < 0 ? 2.0 - complement : complement;
        }

        /// <summary>
        /// erf(x), and e^−x² (erf′ without its 2/√π) for its derivative rules. Beyond <see cref="Threshold"/> erf is
        /// built from that exponential, so a pullback or tangent that asks for both pays for one exp, not two. The
        /// values are those of <see cref="Erf(double)"/> and <see cref="ExpMinusSquare"/>, bit for bit.
        /// </summary>
        internal static double Erf(double x, out double expMinusSquare)
        {
            double y = Math.Abs(x);
            expMinusSquare = ExpMinusSquare(y);
            if (y <= Threshold)
            {
                return ErfSmall(x);
            }

            if (y >= 6.0)
            {
                return x > 0 ? 1.0 : -1.0;
            }

            double result = (0.5 - (ScaledErfc(y) * expMinusSquare)) + 0.5;
            return x < 0 ? -result : result;
        }

        /// <summary>erfc(x), and e^−x² for its derivative rules (see <see cref="Erf(double, out double)"/>).</summary>
        internal static double Erfc(double x, out double expMinusSquare)
        {
            double y = Math.Abs(x);
            expMinusSquare = ExpMinusSquare(y);
            if (y <= Threshold)
            {
                return 1.0 - ErfSmall(x);
            }

            if (y > 27.5)
            {
                return x > 0 ? 0.0 : 2.0;
            }

            double complement = ScaledErfc(y) * expMinusSquare;
            return x < 0 ? 2.0 - complement : complement;
        }

        /// <summary>
        /// Φ(x), and e^−x²/2 (φ(x)·√(2π)) for its derivative rules: in the tails Φ is built from that exponential,
        /// so Φ and φ together cost one exp (see <see cref="Erf(double, out double)"/>).
        /// </summary>
        internal static double NormalCdf(double x, out double expMinusHalfSquare)
        {
            double y = Math.Abs(x);
            expMinusHalfSquare = ExpMinusHalfSquare(y);
            double z = y * InvSqrt2;
            if (z <= Threshold)
            {
                return 0.5 + (0.5 * ErfSmall(x * InvSqrt2));
            }

            if (y > 39.0)
            {
                return x > 0 ? 1.0 : 0.0;
            }

            double tail = 0.5 * ScaledErfc(z) * expMinusHalfSquare;
            return x < 0 ? tail : 1.0 - tail;
        }

        /// <summary>Φ(x), the standard normal CDF, with full relative accuracy in the left tail down to underflow.</summary>
        internal static double NormalCdf(double x)
        {
            double y = Math.Abs(x);
            double z = y * InvSqrt2;
            if (z <= Threshold)
            {
                return 0.5 + (0.5 * ErfSmall(x * InvSqrt2));
            }

            if (y > 39.0)
            {
                return x > 0 ? 1.0 : 0.0;
            }

            double tail = 0.5 * ScaledErfc(z) * ExpMinusHalfSquare(y);
            return x < 0 ? tail : 1.0 - tail;
        }
    }
}
