using System;

namespace DiffGen
{
    /// <content>
    /// Forward-mode derivatives of the scalar helpers, so <c>FTangent</c> of a method that calls them makes one call
    /// per helper (value and tangent together) instead of the helper and its pullback.
    /// </content>
    /// <remarks>
    /// Each <c>FTangent</c> has the shape of a generated one, which is what the generator looks for next to a
    /// <see cref="DerivativeOfAttribute"/> pullback: F's parameters, then one direction per differentiable parameter,
    /// then <c>out</c> the tangent ∇F·v; it returns F's value. Conventions at kinks are the pullbacks'.
    /// </remarks>
    public static partial class DiffMath
    {
        /// <summary>σ(x) and σ′(x)·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">σ′(x)·xDot.</param>
        /// <returns>σ(x).</returns>
        public static double SigmoidTangent(double x, double xDot, out double tangent)
        {
            double e = Math.Exp(-Math.Abs(x));
            double onePlus = 1.0 + e;
            tangent = e / (onePlus * onePlus) * xDot;
            return x >= 0 ? 1.0 / onePlus : e / onePlus;
        }

        /// <summary>softplus(x) and σ(x)·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">σ(x)·xDot.</param>
        /// <returns>softplus(x).</returns>
        public static double SoftplusTangent(double x, double xDot, out double tangent)
        {
            double e = Math.Exp(-Math.Abs(x));
            tangent = (x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e)) * xDot;
            return Log1P(e) + Math.Max(x, 0.0);
        }

        /// <summary>max(x, 0) and its tangent (xDot where x &gt; 0, else 0).</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">xDot where x &gt; 0, else 0.</param>
        /// <returns>max(x, 0).</returns>
        public static double ReluTangent(double x, double xDot, out double tangent)
        {
            tangent = x > 0 ? xDot : 0.0;
            return Math.Max(x, 0.0);
        }

        /// <summary>The leaky rectifier and its tangent: xDot for x &gt; 0, else slope·xDot + x·slopeDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="slope">The slope for non-positive x.</param>
        /// <param name="xDot">The direction for x.</param>
        /// <param name="slopeDot">The direction for the slope.</param>
        /// <param name="tangent">The directional derivative.</param>
        /// <returns>The leaky rectifier's value.</returns>
        public static double LeakyReluTangent(double x, double slope, double xDot, double slopeDot, out double tangent)
        {
            if (x > 0)
            {
                tangent = xDot;
                return x;
            }

            tangent = slope * xDot + x * slopeDot;
            return slope * x;
        }

        /// <summary>erf(x) and (2/√π)·e^−x²·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">erf′(x)·xDot.</param>
        /// <returns>erf(x).</returns>
        public static double ErfTangent(double x, double xDot, out double tangent)
        {
            double erf = ErrorFunction.Erf(x, out double expMinusSquare);
            tangent = ErrorFunction.TwoOverSqrtPi * expMinusSquare * xDot;
            return erf;
        }

        /// <summary>erfc(x) and −(2/√π)·e^−x²·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">erfc′(x)·xDot.</param>
        /// <returns>erfc(x).</returns>
        public static double ErfcTangent(double x, double xDot, out double tangent)
        {
            double erfc = ErrorFunction.Erfc(x, out double expMinusSquare);
            tangent = -ErrorFunction.TwoOverSqrtPi * expMinusSquare * xDot;
            return erfc;
        }

        /// <summary>Φ(x) and φ(x)·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">φ(x)·xDot.</param>
        /// <returns>Φ(x).</returns>
        public static double NormalCdfTangent(double x, double xDot, out double tangent)
        {
            double cdf = ErrorFunction.NormalCdf(x, out double expMinusHalfSquare);
            tangent = ErrorFunction.InvSqrt2Pi * expMinusHalfSquare * xDot;
            return cdf;
        }

        /// <summary>φ(x) and −x·φ(x)·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="tangent">φ′(x)·xDot.</param>
        /// <returns>φ(x).</returns>
        public static double NormalPdfTangent(double x, double xDot, out double tangent)
        {
            double pdf = NormalPdf(x);
            tangent = -x * pdf * xDot;
            return pdf;
        }
    }
}
