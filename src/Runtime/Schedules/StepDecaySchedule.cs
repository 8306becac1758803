using System;

namespace DiffGen
{
    /// <summary>
    /// Multiplies the rate by <see cref="Factor"/> every <see cref="Every"/> steps:
    /// <c>rate = baseRate · factor^⌊step / every⌋</c> (PyTorch's <c>StepLR</c>).
    /// </summary>
    public sealed class StepDecaySchedule : ILearningRateSchedule
    {
        /// <summary>Creates the schedule.</summary>
        /// <param name="every">How many steps each rate lasts (positive).</param>
        /// <param name="factor">The multiplier applied at each decay (finite, positive; usually below 1).</param>
        /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
        public StepDecaySchedule(int every, double factor)
        {
            if (every <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(every), every, "The decay interval must be positive.");
            }

            if (!(factor > 0) || double.IsInfinity(factor))
            {
                throw new ArgumentOutOfRangeException(nameof(factor), factor, "The decay factor must be finite and positive.");
            }

            Every = every;
            Factor = factor;
        }

        /// <summary>How many steps each rate lasts.</summary>
        public int Every { get; }

        /// <summary>The multiplier applied at each decay.</summary>
        public double Factor { get; }

        /// <inheritdoc/>
        public double LearningRate(int step, double baseRate) => baseRate * Math.Pow(Factor, step / Every);
    }
}
