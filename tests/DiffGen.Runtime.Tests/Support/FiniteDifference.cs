using System;

namespace DiffGen.Runtime.Tests.Support
{
    /// <summary>
    /// Numerical derivatives for the tests, written independently of <see cref="GradientCheck"/> so the DiffMath tests do
    /// not rest on the checker they also help to validate. Central differences with one Richardson extrapolation
    /// step, (4·D(h/2) − D(h)) / 3, which cancels the h² error term and leaves O(h⁴).
    /// </summary>
    internal static class FiniteDifference
    {
        public delegate double SpanFunction(ReadOnlySpan<double> x);

        /// <summary>f′(x). The default step shrinks with |x| because the Gaussian-type functions vary on a scale of 1/|x| in their tails.</summary>
        public static double Derivative(Func<double, double> f, double x, double? step = null)
        {
            double h = step ?? 1e-3 / Math.Max(1.0, Math.Abs(x));
            double Central(double s) => (f(x + s) - f(x - s)) / ((x + s) - (x - s));
            return ((4.0 * Central(h / 2)) - Central(h)) / 3.0;
        }

        /// <summary>∂f/∂xᵢ for every i, by the same rule as <see cref="Derivative"/> with step 1e-3.</summary>
        public static double[] Gradient(SpanFunction f, ReadOnlySpan<double> point, double step = 1e-3)
        {
            double[] x = point.ToArray();
            double[] gradient = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double xi = x[i];
                double Central(double s)
                {
                    double plus = xi + s;
                    double minus = xi - s;
                    x[i] = plus;
                    double fPlus = f(x);
                    x[i] = minus;
                    double fMinus = f(x);
                    x[i] = xi;
                    return (fPlus - fMinus) / (plus - minus);
                }

                gradient[i] = ((4.0 * Central(step / 2)) - Central(step)) / 3.0;
            }

            return gradient;
        }
    }
}
