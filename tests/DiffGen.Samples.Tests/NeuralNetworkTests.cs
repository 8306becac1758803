using System;
using System.IO;
using DiffGen.Samples.NeuralNetwork;
using DiffGen.Samples.Tests.Support;
using Xunit;

namespace DiffGen.Samples.Tests
{
    public class NeuralNetworkTests
    {
        /// <summary>The claim the sample makes: at least this fraction of held-out points classified correctly.</summary>
        private const double RequiredAccuracy = 0.95;

        public static TheoryData<double, double, double> Points => new()
        {
            { 0.3, -0.7, 1.0 },
            { -1.2, 0.4, 0.0 },
            { 0.0, 0.0, 1.0 },
            { 2.5, -1.5, 0.0 },
        };

        [Theory]
        [MemberData(nameof(Points))]
        public void SampleLossGradient_MatchesHandWrittenBackpropagation(double x0, double x1, double label)
        {
            double[] p = RandomParameters(seed: 11);
            var generated = new double[Mlp.ParameterCount];

            double loss = Mlp.SampleLossGradient(p, x0, x1, label, generated);

            (double expectedLoss, double[] expected) = ManualBackpropagation(p, x0, x1, label);
            AssertClose(expectedLoss, loss, 1e-13);
            for (int i = 0; i < Mlp.ParameterCount; i++)
            {
                AssertClose(expected[i], generated[i], 1e-12, $"parameter {i}");
            }
        }

        [Theory]
        [MemberData(nameof(Points))]
        public void SampleLossGradient_MatchesCentralFiniteDifferences(double x0, double x1, double label)
        {
            double[] p = RandomParameters(seed: 12);

            GradientCheckResult check = GradientCheck.Compare(
                q => Mlp.SampleLoss(q, x0, x1, label),
                (q, g) => Mlp.SampleLossGradient(q, x0, x1, label, g),
                p);

            Assert.True(check.IsClose(1e-7, 1e-5), check.ToString());
        }

        [Fact]
        public void SampleLossBackward_AccumulatesAMinibatchMean()
        {
            double[] p = RandomParameters(seed: 13);
            TwoMoons batch = TwoMoons.Generate(8, 0.15, seed: 1);

            // What a training step does: one buffer, seed 1/batch, accumulated point by point.
            var accumulated = new double[Mlp.ParameterCount];
            double total = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                total += Mlp.SampleLossBackward(p, batch.X0[i], batch.X1[i], batch.Labels[i], 1.0 / batch.Count, accumulated);
            }

            // The mean of the hand-written per-point gradients.
            var mean = new double[Mlp.ParameterCount];
            double expectedTotal = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                (double loss, double[] gradient) = ManualBackpropagation(p, batch.X0[i], batch.X1[i], batch.Labels[i]);
                expectedTotal += loss;
                for (int j = 0; j < mean.Length; j++)
                {
                    mean[j] += gradient[j] / batch.Count;
                }
            }

            AssertClose(expectedTotal, total, 1e-13);
            for (int j = 0; j < mean.Length; j++)
            {
                AssertClose(mean[j], accumulated[j], 1e-12, $"parameter {j}");
            }
        }

        [Fact]
        public void TwoMoons_CannotBeSeparatedByAnyStraightLine()
        {
            // The data set needs the hidden layers: the best line (searched over directions every 0.25° and every
            // threshold) classifies well under the 95 % the network reaches.
            TwoMoons test = TwoMoons.Generate(new NetworkOptions().TestCount, new NetworkOptions().Noise, new NetworkOptions().Seed + 1);

            double best = BestLinearAccuracy(test);

            Assert.True(best < 0.92, $"a straight line already classifies {best:P1}");
        }

        [Fact]
        public void QuickRun_ReachesTheAccuracyTargetOnHeldOutPoints_AndWritesThePlot()
        {
            using var output = new TempDirectory();
            var console = new TestConsole();

            NetworkResult result = NeuralNetworkSample.Run(NetworkOptions.Quick(output.Path), console.Console);

            Assert.True(result.TestAccuracy >= RequiredAccuracy, $"held-out accuracy {result.TestAccuracy:P1}");
            Assert.Equal(result.TestAccuracy, NeuralNetworkSample.Accuracy(result.Parameters, result.Test));
            Assert.True(result.EpochLoss[^1] < result.EpochLoss[0] / 4, $"loss {result.EpochLoss[0]} -> {result.EpochLoss[^1]}");

            Assert.Equal(Path.Combine(output.Path, NeuralNetworkSample.PlotFileName), result.PlotPath);
            Assert.Equal((DecisionBoundaryPlot.Width, DecisionBoundaryPlot.Height), Png.AssertValid(result.PlotPath));
            Assert.Contains("held-out points", console.Output);
            Assert.Contains(result.PlotPath, console.Output);
        }

        [Fact]
        public void Accuracy_CountsAgreementBetweenTheLogitSignAndTheLabel()
        {
            // All-zero parameters give logit 0 everywhere: "class 1" is never predicted, so accuracy = share of class 0.
            TwoMoons data = TwoMoons.Generate(11, 0.1, seed: 2);
            double share0 = 0;
            foreach (double label in data.Labels)
            {
                share0 += label == 0 ? 1.0 / data.Count : 0;
            }

            Assert.Equal(share0, NeuralNetworkSample.Accuracy(new double[Mlp.ParameterCount], data), 12);
        }

        [Fact]
        public void LiveMode_ShowsAProgressBarAndFinishes()
        {
            using var output = new TempDirectory();
            var console = new TestConsole(interactive: true);
            var options = new NetworkOptions { Epochs = 3, OutputDirectory = output.Path, Live = true };

            NetworkResult result = NeuralNetworkSample.Run(options, console.Console);

            Assert.Equal(3, result.EpochLoss.Length);
            Assert.Contains("epoch    3/3", console.Output);
            Png.AssertValid(result.PlotPath);
        }

        /// <summary>Forward and backward pass of the 2-16-16-1 network written out by hand (the textbook backpropagation).</summary>
        private static (double Loss, double[] Gradient) ManualBackpropagation(double[] p, double x0, double x1, double label)
        {
            const int h = Mlp.Hidden;
            var a1 = new double[h];
            var a2 = new double[h];
            for (int j = 0; j < h; j++)
            {
                a1[j] = Math.Tanh((p[Mlp.W1 + (2 * j)] * x0) + (p[Mlp.W1 + (2 * j) + 1] * x1) + p[Mlp.B1 + j]);
            }

            double z = p[Mlp.B3];
            for (int k = 0; k < h; k++)
            {
                double s = p[Mlp.B2 + k];
                for (int j = 0; j < h; j++)
                {
                    s += p[Mlp.W2 + (k * h) + j] * a1[j];
                }

                a2[k] = Math.Tanh(s);
                z += p[Mlp.W3 + k] * a2[k];
            }

            // loss = log(1 + e^z) − y·z; dloss/dz = σ(z) − y.
            double loss = Math.Log(1 + Math.Exp(z)) - (label * z);
            double dz = (1 / (1 + Math.Exp(-z))) - label;

            var g = new double[Mlp.ParameterCount];
            var delta1 = new double[h];
            g[Mlp.B3] = dz;
            for (int k = 0; k < h; k++)
            {
                g[Mlp.W3 + k] = dz * a2[k];
                double delta2 = dz * p[Mlp.W3 + k] * (1 - (a2[k] * a2[k]));
                g[Mlp.B2 + k] = delta2;
                for (int j = 0; j < h; j++)
                {
                    g[Mlp.W2 + (k * h) + j] = delta2 * a1[j];
                    delta1[j] += delta2 * p[Mlp.W2 + (k * h) + j];
                }
            }

            for (int j = 0; j < h; j++)
            {
                double d = delta1[j] * (1 - (a1[j] * a1[j]));
                g[Mlp.B1 + j] = d;
                g[Mlp.W1 + (2 * j)] = d * x0;
                g[Mlp.W1 + (2 * j) + 1] = d * x1;
            }

            return (loss, g);
        }

        private static double BestLinearAccuracy(TwoMoons data)
        {
            double best = 0;
            var projection = new double[data.Count];
            var order = new int[data.Count];
            for (int step = 0; step < 720; step++)
            {
                double angle = Math.PI * step / 720;
                double ux = Math.Cos(angle);
                double uy = Math.Sin(angle);
                for (int i = 0; i < data.Count; i++)
                {
                    projection[i] = (ux * data.X0[i]) + (uy * data.X1[i]);
                    order[i] = i;
                }

                Array.Sort((double[])projection.Clone(), order);

                // Sweep the threshold: points before it are called class 0 (or, flipped, class 1).
                int ones = 0;
                foreach (double label in data.Labels)
                {
                    ones += label == 1 ? 1 : 0;
                }

                int correct = ones; // threshold below every point: everything is class 1
                best = Math.Max(best, Math.Max(correct, data.Count - correct) / (double)data.Count);
                foreach (int i in order)
                {
                    correct += data.Labels[i] == 0 ? 1 : -1;
                    best = Math.Max(best, Math.Max(correct, data.Count - correct) / (double)data.Count);
                }
            }

            return best;
        }

        private static double[] RandomParameters(int seed)
        {
            var p = new double[Mlp.ParameterCount];
            Mlp.Initialise(p, new Random(seed));

            // Non-zero biases too, so every kind of parameter has a non-trivial gradient.
            var random = new Random(seed + 100);
            for (int j = 0; j < Mlp.Hidden; j++)
            {
                p[Mlp.B1 + j] = random.NextDouble() - 0.5;
                p[Mlp.B2 + j] = random.NextDouble() - 0.5;
            }

            p[Mlp.B3] = 0.3;
            return p;
        }

        private static void AssertClose(double expected, double actual, double relativeTolerance, string what = "")
        {
            double scale = Math.Max(1.0, Math.Abs(expected));
            Assert.True(Math.Abs(actual - expected) <= relativeTolerance * scale, $"{what}: expected {expected:R}, got {actual:R}");
        }
    }
}
