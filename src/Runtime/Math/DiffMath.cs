using System;

namespace DiffGen
{
    /// <summary>
    /// Differentiable helpers for model code: activations, reductions, losses and the error function / normal
    /// distribution, each with a hand-written pullback registered through <see cref="DerivativeOfAttribute"/>, so
    /// <see cref="DifferentiableAttribute"/> methods can call them.
    /// </summary>
    /// <remarks>
    /// Every pullback <c>FBackward</c> has the Backward shape the generator expects: F's parameters unchanged, then
    /// <c>double seed</c>, then one adjoint per differentiable parameter in order (<c>ref double dName</c> for a
    /// <c>double</c>, <c>Span&lt;double&gt; dName</c> for a <c>ReadOnlySpan&lt;double&gt;</c>; integer parameters get none).
    /// Pullbacks ADD <c>seed · ∂F/∂parameter</c> to the adjoints (never overwrite: a value used twice must collect both
    /// contributions) and return F's value. Nothing here allocates. Spans that must match in length throw
    /// <see cref="ArgumentException"/> naming the offending argument.
    /// </remarks>
    public static partial class DiffMath
    {
        /// <summary>The logistic function σ(x) = 1 / (1 + e^−x), evaluated without overflow for any x.</summary>
        /// <param name="x">The argument.</param>
        /// <returns>σ(x), in [0, 1].</returns>
        public static double Sigmoid(double x)
        {
            // Only ever exponentiate a non-positive number: e^−x for large negative x would overflow to ∞.
            if (x >= 0)
            {
                return 1.0 / (1.0 + Math.Exp(-x));
            }

            double e = Math.Exp(x);
            return e / (1.0 + e);
        }

        /// <summary>Pullback of <see cref="Sigmoid"/>: <c>dX += seed · σ(x)·σ(−x)</c>.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>σ(x).</returns>
        [DerivativeOf(nameof(Sigmoid))]
        public static double SigmoidBackward(double x, double seed, ref double dX)
        {
            // σ′ = σ(x)(1 − σ(x)) loses everything to cancellation once σ(x) rounds to 1 (x ≳ 37); with e = e^−|x| the
            // same quantity is e / (1 + e)², exact in relative terms on both sides.
            double e = Math.Exp(-Math.Abs(x));
            double onePlus = 1.0 + e;
            dX += seed * (e / (onePlus * onePlus));
            return x >= 0 ? 1.0 / onePlus : e / onePlus;
        }

        /// <summary>softplus(x) = log(1 + eˣ), evaluated stably as <c>log1p(e^−|x|) + max(x, 0)</c>.</summary>
        /// <param name="x">The argument.</param>
        /// <returns>softplus(x), positive.</returns>
        public static double Softplus(double x) => Log1P(Math.Exp(-Math.Abs(x))) + Math.Max(x, 0.0);

        /// <summary>Pullback of <see cref="Softplus"/>: <c>dX += seed · σ(x)</c>.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>softplus(x).</returns>
        [DerivativeOf(nameof(Softplus))]
        public static double SoftplusBackward(double x, double seed, ref double dX)
        {
            double e = Math.Exp(-Math.Abs(x));
            double sigmoid = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            dX += seed * sigmoid;
            return Log1P(e) + Math.Max(x, 0.0);
        }

        /// <summary>The rectifier max(x, 0) (NaN stays NaN).</summary>
        /// <param name="x">The argument.</param>
        /// <returns>max(x, 0).</returns>
        public static double Relu(double x) => Math.Max(x, 0.0);

        /// <summary>
        /// Pullback of <see cref="Relu"/>: <c>dX += seed</c> where x &gt; 0, nothing elsewhere. At the kink x = 0 the
        /// derivative is taken as 0, as in PyTorch.
        /// </summary>
        /// <param name="x">The argument.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <returns>max(x, 0).</returns>
        [DerivativeOf(nameof(Relu))]
        public static double ReluBackward(double x, double seed, ref double dX)
        {
            if (x > 0)
            {
                dX += seed;
            }

            return Math.Max(x, 0.0);
        }

        /// <summary>The leaky rectifier: x for x &gt; 0, slope·x otherwise.</summary>
        /// <param name="x">The argument.</param>
        /// <param name="slope">The slope for non-positive x (e.g. 0.01); differentiable, so it can be learned as in PReLU.</param>
        /// <returns>x if x &gt; 0, else slope·x.</returns>
        public static double LeakyRelu(double x, double slope) => x > 0 ? x : slope * x;

        /// <summary>
        /// Pullback of <see cref="LeakyRelu"/>: for x &gt; 0 <c>dX += seed</c>; otherwise <c>dX += seed·slope</c> and
        /// <c>dSlope += seed·x</c>. At the kink x = 0 the derivative with respect to x is taken as <c>slope</c>, as in PyTorch.
        /// </summary>
        /// <param name="x">The argument.</param>
        /// <param name="slope">The slope for non-positive x.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
        /// <param name="dSlope">The adjoint of <paramref name="slope"/>, accumulated into (the generator discards it when the slope is a constant).</param>
        /// <returns>The leaky rectifier's value.</returns>
        [DerivativeOf(nameof(LeakyRelu))]
        public static double LeakyReluBackward(double x, double slope, double seed, ref double dX, ref double dSlope)
        {
            if (x > 0)
            {
                dX += seed;
                return x;
            }

            dX += seed * slope;
            dSlope += seed * x;
            return slope * x;
        }

        /// <summary>
        /// log(1 + u), accurate for small u where <c>Math.Log(1 + u)</c> is not (.NET has no log1p; its
        /// <c>double.LogP1</c> is computed as <c>Log(u + 1)</c>). Goldberg's trick: with w = 1 + u rounded, log(w)·u/(w − 1)
        /// cancels the rounding of w to first order.
        /// </summary>
        private static double Log1P(double u)
        {
            double w = 1.0 + u;
            if (w == 1.0)
            {
                return u;
            }

            return Math.Log(w) * u / (w - 1.0);
        }
    }
}
