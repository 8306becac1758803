using System;

namespace DiffGen.Samples.NeuralNetwork
{
    /// <summary>What a run of the neural-network sample produced.</summary>
    public sealed class NetworkResult
    {
        /// <summary>The training points.</summary>
        public required TwoMoons Train { get; init; }

        /// <summary>The held-out points.</summary>
        public required TwoMoons Test { get; init; }

        /// <summary>The trained weights and biases (<see cref="Mlp.ParameterCount"/> values).</summary>
        public required double[] Parameters { get; init; }

        /// <summary>The mean training loss over each epoch (the minibatch losses, as training saw them).</summary>
        public required double[] EpochLoss { get; init; }

        /// <summary>The fraction of training points classified correctly after training.</summary>
        public required double TrainAccuracy { get; init; }

        /// <summary>The fraction of held-out points classified correctly after training.</summary>
        public required double TestAccuracy { get; init; }

        /// <summary>Wall-clock time spent training.</summary>
        public required TimeSpan TrainingTime { get; init; }

        /// <summary>The full path of the decision-boundary PNG.</summary>
        public required string PlotPath { get; init; }
    }
}
