using System;
using System.IO;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>What <see cref="NeuralNetworkSample.Run"/> does.</summary>
    public sealed class NetworkOptions
    {
        /// <summary>The environment variable that turns on the short mode (value <c>1</c> or <c>true</c>), as <c>--quick</c> does.</summary>
        public const string QuickEnvironmentVariable = "DIFFGEN_QUICK";

        /// <summary>Training points.</summary>
        public int TrainCount { get; init; } = 400;

        /// <summary>Held-out points the accuracy is measured on (never trained on).</summary>
        public int TestCount { get; init; } = 1000;

        /// <summary>The noise's standard deviation in the two-moons data.</summary>
        public double Noise { get; init; } = 0.15;

        /// <summary>The seed for the training data, the test data (seed + 1), the initial weights (seed + 2) and shuffling (seed + 3).</summary>
        public int Seed { get; init; } = 7;

        /// <summary>Passes over the training data.</summary>
        public int Epochs { get; init; } = 100;

        /// <summary>Points per minibatch: their gradients are accumulated with <c>SampleLossBackward</c> before one Adam step.</summary>
        public int BatchSize { get; init; } = 32;

        /// <summary>Adam's learning rate.</summary>
        public double LearningRate { get; init; } = 0.01;

        /// <summary>Where the decision-boundary PNG is written (created if missing).</summary>
        public string OutputDirectory { get; init; } = Path.Combine("artifacts", "samples");

        /// <summary>Show a live progress bar (an interactive terminal); otherwise print plain lines.</summary>
        public bool Live { get; init; }

        /// <summary>How many progress lines to print when not live.</summary>
        public int ProgressUpdates { get; init; } = 10;

        /// <summary>The short mode used by tests and CI: fewer epochs, still above the accuracy target.</summary>
        /// <param name="outputDirectory">Where the PNG goes.</param>
        /// <returns>The options.</returns>
        public static NetworkOptions Quick(string outputDirectory) => new()
        {
            Epochs = 20,
            LearningRate = 0.02,
            OutputDirectory = outputDirectory,
            ProgressUpdates = 4,
        };

        /// <summary>Whether the environment asks for the short mode (<c>DIFFGEN_QUICK=1</c> or <c>true</c>).</summary>
        /// <returns><see langword="true"/> when the variable is set to 1 or true.</returns>
        public static bool QuickRequestedByEnvironment()
        {
            string? value = Environment.GetEnvironmentVariable(QuickEnvironmentVariable);
            return value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        }
    }
}
