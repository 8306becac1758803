using System;

namespace DiffGen
{
    /// <content>
    /// Hessian-vector products of the scalar helpers, so methods with <c>DiffModes.Hessian</c> can call them.
    /// </content>
    /// <remarks>
    /// Each <c>FHessianVector</c> has the shape of a generated Hessian-vector product, which is what the generator looks
    /// for next to a <see cref="DerivativeOfAttribute"/> pullback: F's parameters, then one direction per
    /// differentiable parameter (<c>xDot</c>), then <c>out</c> the gradient (<c>dX</c>) and <c>out</c> H·v (<c>hvX</c>),
    /// each in parameter order; it returns F's value. Outputs are overwritten, not accumulated. For a function of one
    /// variable that is <c>dX = F′(x)</c> and <c>hvX = F″(x)·xDot</c>. At kinks (Relu, LeakyRelu at 0) the first
    /// derivative follows the pullback's convention and the second derivative is 0, as in PyTorch.
    /// </remarks>
    public static partial class DiffMath
    {
        /// <summary>σ(x), σ′ = σ(x)σ(−x) and σ″·xDot with σ″ = σ′·(1 − 2σ).</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">σ′(x).</param>
        /// <param name="hvX">σ″(x)·xDot.</param>
        /// <returns>σ(x).</returns>
        public static double SigmoidHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            // e = e^−|x| keeps σ′ exact in relative terms on both sides (see SigmoidBackward); 1 − 2σ = tanh(−x/2)
            // written as ±(1 − e)/(1 + e) keeps the second factor exact as well.
            double e = Math.Exp(-Math.Abs(x));
            double onePlus = 1.0 + e;
            dX = e / (onePlus * onePlus);
            double oneMinusTwoSigma = (x >= 0 ? -(1.0 - e) : 1.0 - e) / onePlus;
            hvX = dX * oneMinusTwoSigma * xDot;
            return x >= 0 ? 1.0 / onePlus : e / onePlus;
        }

        /// <summary>softplus(x), its derivative σ(x) and σ′(x)·xDot.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">σ(x).</param>
        /// <param name="hvX">σ′(x)·xDot.</param>
        /// <returns>softplus(x).</returns>
        public static double SoftplusHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            double e = Math.Exp(-Math.Abs(x));
            double onePlus = 1.0 + e;
            dX = x >= 0 ? 1.0 / onePlus : e / onePlus;
            hvX = e / (onePlus * onePlus) * xDot;
            return Log1P(e) + Math.Max(x, 0.0);
        }

        /// <summary>max(x, 0), its derivative (1 for x &gt; 0, else 0) and a zero second derivative.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">1 where x &gt; 0, else 0.</param>
        /// <param name="hvX">0.</param>
        /// <returns>max(x, 0).</returns>
        public static double ReluHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            dX = x > 0 ? 1.0 : 0.0;
            hvX = 0.0;
            return Math.Max(x, 0.0);
        }

        /// <summary>
        /// The leaky rectifier, its gradient and H·v. Piecewise bilinear: for x ≤ 0 the value is slope·x, whose only
        /// second derivative is the mixed one (∂²/∂x∂slope = 1); for x &gt; 0 it is x, with none.
        /// </summary>
        /// <param name="x">The argument.</param>
        /// <param name="slope">The slope for non-positive x.</param>
        /// <param name="xDot">The direction for x.</param>
        /// <param name="slopeDot">The direction for the slope.</param>
        /// <param name="dX">∂/∂x: 1 for x &gt; 0, else slope.</param>
        /// <param name="dSlope">∂/∂slope: 0 for x &gt; 0, else x.</param>
        /// <param name="hvX">(H·v) for x: slopeDot where x ≤ 0.</param>
        /// <param name="hvSlope">(H·v) for the slope: xDot where x ≤ 0.</param>
        /// <returns>The leaky rectifier's value.</returns>
        public static double LeakyReluHessianVector(double x, double slope, double xDot, double slopeDot, out double dX, out double dSlope, out double hvX, out double hvSlope)
        {
            if (x > 0)
            {
                dX = 1.0;
                dSlope = 0.0;
                hvX = 0.0;
                hvSlope = 0.0;
                return x;
            }

            dX = slope;
            dSlope = x;
            hvX = slopeDot;
            hvSlope = xDot;
            return slope * x;
        }

        /// <summary>erf(x), erf′ = (2/√π)·e^−x² and erf″·xDot with erf″ = −2x·erf′.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">erf′(x).</param>
        /// <param name="hvX">erf″(x)·xDot.</param>
        /// <returns>erf(x).</returns>
        public static double ErfHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            double erf = ErrorFunction.Erf(x, out double expMinusSquare);
            dX = ErrorFunction.TwoOverSqrtPi * expMinusSquare;
            hvX = -2.0 * x * dX * xDot;
            return erf;
        }

        /// <summary>erfc(x), erfc′ = −(2/√π)·e^−x² and erfc″·xDot with erfc″ = −2x·erfc′.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">erfc′(x).</param>
        /// <param name="hvX">erfc″(x)·xDot.</param>
        /// <returns>erfc(x).</returns>
        public static double ErfcHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            double erfc = ErrorFunction.Erfc(x, out double expMinusSquare);
            dX = -ErrorFunction.TwoOverSqrtPi * expMinusSquare;
            hvX = -2.0 * x * dX * xDot;
            return erfc;
        }

        /// <summary>Φ(x), Φ′ = φ(x) and Φ″·xDot with Φ″ = −x·φ(x) (Black–Scholes' gamma comes from this).</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">φ(x).</param>
        /// <param name="hvX">−x·φ(x)·xDot.</param>
        /// <returns>Φ(x).</returns>
        public static double NormalCdfHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            double cdf = ErrorFunction.NormalCdf(x, out double expMinusHalfSquare);
            dX = ErrorFunction.InvSqrt2Pi * expMinusHalfSquare;
            hvX = -x * dX * xDot;
            return cdf;
        }

        /// <summary>φ(x), φ′ = −x·φ(x) and φ″·xDot with φ″ = (x² − 1)·φ(x).</summary>
        /// <param name="x">The argument.</param>
        /// <param name="xDot">The direction.</param>
        /// <param name="dX">−x·φ(x).</param>
        /// <param name="hvX">(x² − 1)·φ(x)·xDot.</param>
        /// <returns>φ(x).</returns>
        public static double NormalPdfHessianVector(double x, double xDot, out double dX, out double hvX)
        {
            double pdf = NormalPdf(x);
            dX = -x * pdf;
            hvX = (x * x - 1.0) * pdf * xDot;
            return pdf;
        }
    }
}
