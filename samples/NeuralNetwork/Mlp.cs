using System;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>
    /// A 2-16-16-1 multilayer perceptron: two tanh hidden layers and a logistic output, all its weights and biases
    /// in one flat array (the layout is given by the offset constants). The forward pass is plain C#; DiffGen
    /// generates the backward pass (<c>LogitBackward</c>, <c>SampleLossBackward</c>) from it at compile time.
    /// </summary>
    public static partial class Mlp
    {
        /// <summary>Inputs per point (x and y).</summary>
        public const int Inputs = 2;

        /// <summary>Units in each hidden layer.</summary>
        public const int Hidden = 16;

        /// <summary>Offset of the first layer's weights, <c>Hidden × Inputs</c>, row j holding unit j's weights.</summary>
        public const int W1 = 0;

        /// <summary>Offset of the first layer's biases (<c>Hidden</c>).</summary>
        public const int B1 = W1 + (Hidden * Inputs);

        /// <summary>Offset of the second layer's weights, <c>Hidden × Hidden</c>, row k holding unit k's weights.</summary>
        public const int W2 = B1 + Hidden;

        /// <summary>Offset of the second layer's biases (<c>Hidden</c>).</summary>
        public const int B2 = W2 + (Hidden * Hidden);

        /// <summary>Offset of the output unit's weights (<c>Hidden</c>).</summary>
        public const int W3 = B2 + Hidden;

        /// <summary>Offset of the output unit's bias (one value).</summary>
        public const int B3 = W3 + Hidden;

        /// <summary>How many parameters the network has: 32 + 16 + 256 + 16 + 16 + 1 = 337.</summary>
        public const int ParameterCount = B3 + 1;

        /// <summary>The network's output before the logistic function: log(P(class 1) / P(class 0)).</summary>
        /// <param name="p">All weights and biases, laid out as the offset constants say.</param>
        /// <param name="x0">The point's first coordinate.</param>
        /// <param name="x1">The point's second coordinate.</param>
        /// <returns>The logit.</returns>
        [Differentiable]
        public static double Logit(ReadOnlySpan<double> p, [NoDiff] double x0, [NoDiff] double x1)
        {
            Span<double> h1 = stackalloc double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                h1[j] = Math.Tanh((p[W1 + (2 * j)] * x0) + (p[W1 + (2 * j) + 1] * x1) + p[B1 + j]);
            }

            double logit = p[B3];
            for (int k = 0; k < Hidden; k++)
            {
                double z = p[B2 + k];
                for (int j = 0; j < Hidden; j++)
                {
                    z += p[W2 + (k * Hidden) + j] * h1[j];
                }

                logit += p[W3 + k] * Math.Tanh(z);
            }

            return logit;
        }

        /// <summary>
        /// Binary cross-entropy of the network's prediction for one labelled point, from the logit:
        /// −[y·log σ(z) + (1−y)·log(1−σ(z))] = softplus(z) − y·z, which never takes the log of 0.
        /// </summary>
        /// <param name="p">All weights and biases.</param>
        /// <param name="x0">The point's first coordinate.</param>
        /// <param name="x1">The point's second coordinate.</param>
        /// <param name="label">The point's class, 0 or 1.</param>
        /// <returns>The loss for this point.</returns>
        [Differentiable]
        public static double SampleLoss(ReadOnlySpan<double> p, [NoDiff] double x0, [NoDiff] double x1, [NoDiff] double label)
        {
            double z = Logit(p, x0, x1);
            return DiffMath.Softplus(z) - (label * z);
        }

        /// <summary>P(class 1) for a point: the logistic function of <see cref="Logit"/>.</summary>
        /// <param name="p">All weights and biases.</param>
        /// <param name="x0">The point's first coordinate.</param>
        /// <param name="x1">The point's second coordinate.</param>
        /// <returns>A probability in [0, 1].</returns>
        public static double Probability(ReadOnlySpan<double> p, double x0, double x1) => DiffMath.Sigmoid(Logit(p, x0, x1));

        /// <summary>Fills <paramref name="p"/> with a seeded Glorot-style initialisation: weights N(0, 1/fan-in), biases 0.</summary>
        /// <param name="p">The parameters to initialise (<see cref="ParameterCount"/> long).</param>
        /// <param name="random">The source of randomness.</param>
        public static void Initialise(Span<double> p, Random random)
        {
            if (p.Length != ParameterCount)
            {
                throw new ArgumentException($"The network has {ParameterCount} parameters.", nameof(p));
            }

            p.Clear();
            Fill(p.Slice(W1, Hidden * Inputs), Math.Sqrt(1.0 / Inputs), random);
            Fill(p.Slice(W2, Hidden * Hidden), Math.Sqrt(1.0 / Hidden), random);
            Fill(p.Slice(W3, Hidden), Math.Sqrt(1.0 / Hidden), random);
        }

        private static void Fill(Span<double> weights, double scale, Random random)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = scale * Gaussian(random);
            }
        }

        private static double Gaussian(Random random)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
