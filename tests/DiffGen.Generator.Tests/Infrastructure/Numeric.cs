using System;
using Xunit.Sdk;

namespace DiffGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Finite differences and tolerant comparisons for the numerical tests.
    /// <para>
    /// Step: h = 1e-6·max(1, |x|). For a double central difference the truncation error is h²·|f'''|/6 ≈ 1e-13·|f'''|
    /// and the rounding error about ε·|f|/h ≈ 2.2e-16·|f|/1e-6 ≈ 2e-10·|f| (ε = 2.2e-16). The default tolerance
    /// <see cref="FdTolerance"/> = 1e-6·(1 + |g|) + 1e-8·|f| sits two orders of magnitude above both, so it never
    /// fires on a correct gradient of a smooth function, while any real mistake (a wrong sign, a missing term, a
    /// factor of 2, a stale saved value) changes the gradient by far more than 1e-6 relative.
    /// </para>
    /// <para>
    /// Closed-form derivatives are compared more tightly (<see cref="ExactTolerance"/>): both are evaluated with
    /// the same double arithmetic, differing only by re-association, so 1e-11 relative is ample.
    /// </para>
    /// </summary>
    public static class Numeric
    {
        public const double ExactRelative = 1e-11;

        public static double Step(double x) => 1e-6 * Math.Max(1.0, Math.Abs(x));

        /// <summary>Central difference of <paramref name="f"/> in coordinate <paramref name="index"/> of <paramref name="x"/>.</summary>
        public static double Central(Func<double[], double> f, double[] x, int index)
        {
            double h = Step(x[index]);
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[index] += h;
            minus[index] -= h;

            // Use the actually representable step, not h, so the rounding of x ± h does not bias the quotient.
            return (f(plus) - f(minus)) / (plus[index] - minus[index]);
        }

        /// <summary>All partial derivatives by central differences.</summary>
        public static double[] CentralGradient(Func<double[], double> f, double[] x)
        {
            var g = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                g[i] = Central(f, x, i);
            }

            return g;
        }

        /// <summary>Central difference in single precision: h = 1e-3·max(1, |x|) (float ε ≈ 1.2e-7 makes smaller steps useless).</summary>
        public static double CentralFloat(Func<float[], float> f, float[] x, int index)
        {
            float h = 1e-3f * Math.Max(1f, Math.Abs(x[index]));
            var plus = (float[])x.Clone();
            var minus = (float[])x.Clone();
            plus[index] += h;
            minus[index] -= h;
            return ((double)f(plus) - f(minus)) / ((double)plus[index] - minus[index]);
        }

        public static double FdTolerance(double gradient, double value) => 1e-6 * (1 + Math.Abs(gradient)) + 1e-8 * Math.Abs(value);

        public static double ExactTolerance(double expected) => ExactRelative * Math.Max(1.0, Math.Abs(expected));

        public static void Close(double expected, double actual, double tolerance, string what)
        {
            if (!(Math.Abs(expected - actual) <= tolerance))
            {
                throw new XunitException($"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):G3}, tolerance {tolerance:G3})");
            }
        }

        /// <summary>Compares with a closed-form value (tight tolerance).</summary>
        public static void Exact(double expected, double actual, string what) => Close(expected, actual, ExactTolerance(expected), what);

        /// <summary>Compares with a finite difference (tolerance from <see cref="FdTolerance"/>).</summary>
        public static void Fd(double fd, double actual, double value, string what) => Close(fd, actual, FdTolerance(actual, value), what);

        public static void Exact(double[] expected, double[] actual, string what)
        {
            if (expected.Length != actual.Length)
            {
                throw new XunitException($"{what}: expected {expected.Length} values, got {actual.Length}");
            }

            for (int i = 0; i < expected.Length; i++)
            {
                Exact(expected[i], actual[i], $"{what}[{i}]");
            }
        }

        /// <summary>Checks every component of <paramref name="gradient"/> against central differences of <paramref name="f"/> at <paramref name="x"/>.</summary>
        public static void MatchesFiniteDifferences(Func<double[], double> f, double[] x, double[] gradient, string what, double scale = 1.0)
        {
            double value = f(x);
            for (int i = 0; i < x.Length; i++)
            {
                double fd = Central(f, x, i);
                Close(fd, gradient[i], scale * FdTolerance(gradient[i], value), $"{what}: ∂/∂x[{i}] at x = [{string.Join(", ", x)}]");
            }
        }
    }
}
