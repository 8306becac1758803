using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Spectre.Console;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>
    /// Trains <see cref="Mlp"/> on two moons: each minibatch's gradient is accumulated point by point with the
    /// generated <c>SampleLossBackward</c> (seed 1/batch), then Adam takes one step.
    /// </summary>
    public static class NeuralNetworkSample
    {
        /// <summary>The PNG's file name inside the output directory.</summary>
        public const string PlotFileName = "neural-network.png";

        /// <summary>Generates the data, trains the network, measures accuracy, writes the plot and reports to <paramref name="console"/>.</summary>
        /// <param name="options">What to do.</param>
        /// <param name="console">Where progress and results go.</param>
        /// <returns>The trained network, its accuracies and the plot's path.</returns>
        public static NetworkResult Run(NetworkOptions options, IAnsiConsole console)
        {
            ArgumentNullException.ThrowIfNull(options);
            ArgumentNullException.ThrowIfNull(console);
            if (options.TrainCount <= 0 || options.TestCount <= 0 || options.Epochs <= 0 || options.BatchSize <= 0 || options.ProgressUpdates <= 0)
            {
                throw new ArgumentException("Counts, epochs, batch size and progress updates must be positive.", nameof(options));
            }

            TwoMoons train = TwoMoons.Generate(options.TrainCount, options.Noise, options.Seed);
            TwoMoons test = TwoMoons.Generate(options.TestCount, options.Noise, options.Seed + 1);

            console.MarkupLine(Invariant($"[bold]DiffGen neural network[/]: a {Mlp.Inputs}-{Mlp.Hidden}-{Mlp.Hidden}-1 tanh network ({Mlp.ParameterCount} parameters) learns two moons"));
            console.MarkupLine("by backpropagation through the gradient DiffGen generated from Mlp.SampleLoss.");
            console.MarkupLine(Invariant($"[grey]{train.Count} training points, {test.Count} held-out points, noise σ = {options.Noise}; {options.Epochs} epochs, minibatches of {options.BatchSize}, Adam (rate {options.LearningRate}).[/]"));

            var parameters = new double[Mlp.ParameterCount];
            Mlp.Initialise(parameters, new Random(options.Seed + 2));
            var gradient = new double[Mlp.ParameterCount];
            var adam = new Adam(Mlp.ParameterCount, options.LearningRate);
            var shuffle = new Random(options.Seed + 3);
            var order = new int[train.Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            var epochLoss = new double[options.Epochs];
            var stopwatch = Stopwatch.StartNew();

            // One pass over the training data in shuffled minibatches; returns the mean loss the batches saw.
            double Epoch()
            {
                shuffle.Shuffle(order);
                double total = 0;
                for (int start = 0; start < order.Length; start += options.BatchSize)
                {
                    int end = Math.Min(order.Length, start + options.BatchSize);
                    double seed = 1.0 / (end - start);
                    gradient.AsSpan().Clear();
                    for (int i = start; i < end; i++)
                    {
                        int n = order[i];

                        // Accumulates seed · ∂loss/∂parameters into gradient: the minibatch mean, point by point.
                        total += Mlp.SampleLossBackward(parameters, train.X0[n], train.X1[n], train.Labels[n], seed, gradient);
                    }

                    adam.Step(parameters, gradient);
                }

                return total / order.Length;
            }

            if (options.Live)
            {
                console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context =>
                    {
                        ProgressTask task = context.AddTask("training", maxValue: options.Epochs);
                        for (int epoch = 0; epoch < options.Epochs; epoch++)
                        {
                            epochLoss[epoch] = Epoch();
                            task.Description = Invariant($"epoch {epoch + 1,4}/{options.Epochs}  loss {epochLoss[epoch]:F4}");
                            task.Increment(1);
                        }
                    });
            }
            else
            {
                int every = Math.Max(1, options.Epochs / options.ProgressUpdates);
                for (int epoch = 0; epoch < options.Epochs; epoch++)
                {
                    epochLoss[epoch] = Epoch();
                    if ((epoch + 1) % every == 0 || epoch + 1 == options.Epochs)
                    {
                        console.WriteLine(Invariant($"  epoch {epoch + 1,4}/{options.Epochs}  loss {epochLoss[epoch]:F4}  train accuracy {Accuracy(parameters, train):P1}"));
                    }
                }
            }

            stopwatch.Stop();
            double trainAccuracy = Accuracy(parameters, train);
            double testAccuracy = Accuracy(parameters, test);
            console.MarkupLine(Invariant($"Accuracy: [bold]{testAccuracy:P1}[/] on {test.Count} held-out points ({trainAccuracy:P1} on the training points), after {stopwatch.Elapsed.TotalSeconds:F1} s of training."));

            string outputDirectory = Path.GetFullPath(options.OutputDirectory);
            Directory.CreateDirectory(outputDirectory);
            string plotPath = Path.Combine(outputDirectory, PlotFileName);
            DecisionBoundaryPlot.Save(parameters, test, testAccuracy, epochLoss, plotPath);
            console.MarkupLine("Decision boundary written to");
            console.Profile.Out.Writer.WriteLine("  " + plotPath);
            console.Profile.Out.Writer.Flush();

            return new NetworkResult
            {
                Train = train,
                Test = test,
                Parameters = parameters,
                EpochLoss = epochLoss,
                TrainAccuracy = trainAccuracy,
                TestAccuracy = testAccuracy,
                TrainingTime = stopwatch.Elapsed,
                PlotPath = plotPath,
            };
        }

        /// <summary>The fraction of points whose predicted class (logit above 0, i.e. probability above ½) matches the label.</summary>
        /// <param name="parameters">The network.</param>
        /// <param name="data">The labelled points.</param>
        /// <returns>A fraction in [0, 1].</returns>
        public static double Accuracy(ReadOnlySpan<double> parameters, TwoMoons data)
        {
            int correct = 0;
            for (int i = 0; i < data.Count; i++)
            {
                bool predicted = Mlp.Logit(parameters, data.X0[i], data.X1[i]) > 0;
                if (predicted == (data.Labels[i] == 1.0))
                {
                    correct++;
                }
            }

            return (double)correct / data.Count;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
