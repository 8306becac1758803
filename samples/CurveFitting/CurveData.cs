using System;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>Noisy points scattered around a known cubic, generated from a seed so every run sees the same data.</summary>
    public sealed class CurveData
    {
        private CurveData(double[] xs, double[] ys)
        {
            Xs = xs;
            Ys = ys;
        }

        /// <summary>The points' x values, spread uniformly over the interval and sorted.</summary>
        public double[] Xs { get; }

        /// <summary>The points' y values: the true curve plus Gaussian noise.</summary>
        public double[] Ys { get; }

        /// <summary>Draws <paramref name="count"/> points y = Cubic(trueCoefficients, x) + N(0, noise²), x uniform in [xMin, xMax].</summary>
        /// <param name="trueCoefficients">The curve the points come from.</param>
        /// <param name="count">How many points.</param>
        /// <param name="noise">The standard deviation of the Gaussian noise added to y.</param>
        /// <param name="xMin">The interval's lower end.</param>
        /// <param name="xMax">The interval's upper end.</param>
        /// <param name="seed">The random seed: the same seed gives the same points.</param>
        /// <returns>The points.</returns>
        public static CurveData Generate(ReadOnlySpan<double> trueCoefficients, int count, double noise, double xMin, double xMax, int seed)
        {
            var random = new Random(seed);
            var xs = new double[count];
            var ys = new double[count];
            for (int i = 0; i < count; i++)
            {
                xs[i] = xMin + ((xMax - xMin) * random.NextDouble());
            }

            Array.Sort(xs);
            for (int i = 0; i < count; i++)
            {
                ys[i] = CurveModel.Cubic(trueCoefficients, xs[i]) + (noise * StandardNormal(random));
            }

            return new CurveData(xs, ys);
        }

        /// <summary>A standard normal variate by the Box–Muller transform.</summary>
        /// <param name="random">The source of uniform variates.</param>
        /// <returns>A draw from N(0, 1).</returns>
        public static double StandardNormal(Random random)
        {
            double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the logarithm is finite
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
