using System;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>
    /// The model: a cubic curve and the mean squared error of that curve over a set of points.
    /// Both are plain C#; DiffGen generates <c>CubicGradient</c>/<c>CubicBackward</c> and
    /// <c>LossGradient</c>/<c>LossBackward</c> next to them at compile time.
    /// </summary>
    public static partial class CurveModel
    {
        /// <summary>How many coefficients <see cref="Cubic"/> takes.</summary>
        public const int CoefficientCount = 4;

        /// <summary>The curve y = c₀ + c₁·x + c₂·x² + c₃·x³, evaluated in Horner form.</summary>
        /// <param name="c">The four coefficients, constant term first.</param>
        /// <param name="x">Where to evaluate the curve (data, so no derivative is taken with respect to it).</param>
        /// <returns>The curve's value at <paramref name="x"/>.</returns>
        [Differentiable]
        public static double Cubic(ReadOnlySpan<double> c, [NoDiff] double x)
        {
            return c[0] + x * (c[1] + x * (c[2] + x * c[3]));
        }

        /// <summary>The mean squared error of the curve <paramref name="c"/> over the points (xs[i], ys[i]).</summary>
        /// <param name="c">The coefficients being fitted: the only active input.</param>
        /// <param name="xs">The points' x values.</param>
        /// <param name="ys">The points' y values.</param>
        /// <returns>(1/n) Σ (Cubic(c, xs[i]) − ys[i])².</returns>
        [Differentiable]
        public static double Loss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
        {
            double sum = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                double error = Cubic(c, xs[i]) - ys[i];
                sum += error * error;
            }

            return sum / xs.Length;
        }
    }
}
