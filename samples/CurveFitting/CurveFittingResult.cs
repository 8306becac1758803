using System;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>What a run of the curve-fitting sample produced.</summary>
    public sealed class CurveFittingResult
    {
        /// <summary>The points that were fitted.</summary>
        public required CurveData Data { get; init; }

        /// <summary>The coefficients the points were generated from.</summary>
        public required double[] TrueCoefficients { get; init; }

        /// <summary>The coefficients Adam found.</summary>
        public required double[] FittedCoefficients { get; init; }

        /// <summary>The loss before each step; the last element is the loss after the last step.</summary>
        public required double[] LossHistory { get; init; }

        /// <summary>The loss of the starting point (all coefficients zero).</summary>
        public double InitialLoss => LossHistory[0];

        /// <summary>The loss of the fitted coefficients.</summary>
        public double FinalLoss => LossHistory[^1];

        /// <summary>The loss of the true coefficients on the same noisy points (about the noise variance).</summary>
        public required double TrueCurveLoss { get; init; }

        /// <summary>Wall-clock time spent computing gradients and optimiser steps (pauses for the live display excluded).</summary>
        public required TimeSpan TrainingTime { get; init; }

        /// <summary>The full path of the PNG written.</summary>
        public required string PlotPath { get; init; }

        /// <summary>
        /// The full path where the build wrote the generated <c>LossGradient</c>/<c>LossBackward</c> source, or
        /// <see langword="null"/> when the assembly does not know where its build put generated files.
        /// </summary>
        public string? GeneratedLossCodePath { get; init; }
    }
}
