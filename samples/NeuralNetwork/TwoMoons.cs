using System;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>
    /// The two-moons data set: two interleaving half circles, one per class, with Gaussian noise. No straight line
    /// separates them, so a linear model cannot classify them; a network with a hidden layer can.
    /// </summary>
    public sealed class TwoMoons
    {
        private TwoMoons(double[] x0, double[] x1, double[] labels)
        {
            X0 = x0;
            X1 = x1;
            Labels = labels;
        }

        /// <summary>The points' first coordinates.</summary>
        public double[] X0 { get; }

        /// <summary>The points' second coordinates.</summary>
        public double[] X1 { get; }

        /// <summary>The points' classes: 0 (upper moon) or 1 (lower moon), as doubles for the loss.</summary>
        public double[] Labels { get; }

        /// <summary>How many points.</summary>
        public int Count => Labels.Length;

        /// <summary>
        /// Draws <paramref name="count"/> points, alternating between the classes. The upper moon is
        /// (cos t, sin t), the lower one (1 − cos t, ½ − sin t), t uniform in [0, π], both shifted by (−½, −¼) so the
        /// data are centred; then N(0, noise²) is added to each coordinate.
        /// </summary>
        /// <param name="count">How many points.</param>
        /// <param name="noise">The noise's standard deviation.</param>
        /// <param name="seed">The random seed.</param>
        /// <returns>The data set.</returns>
        public static TwoMoons Generate(int count, double noise, int seed)
        {
            var random = new Random(seed);
            var x0 = new double[count];
            var x1 = new double[count];
            var labels = new double[count];
            for (int i = 0; i < count; i++)
            {
                int label = i % 2;
                double t = Math.PI * random.NextDouble();
                double a = label == 0 ? Math.Cos(t) : 1.0 - Math.Cos(t);
                double b = label == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
                x0[i] = a - 0.5 + (noise * Gaussian(random));
                x1[i] = b - 0.25 + (noise * Gaussian(random));
                labels[i] = label;
            }

            return new TwoMoons(x0, x1, labels);
        }

        private static double Gaussian(Random random)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
