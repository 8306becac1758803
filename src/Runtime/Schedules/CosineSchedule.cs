using System;

namespace DiffGen
{
    /// <summary>
    /// Cosine annealing from the base rate down to <see cref="MinRate"/> over <see cref="TotalSteps"/> steps
    /// (Loshchilov &amp; Hutter's SGDR without restarts):
    /// <c>rate = minRate + (baseRate − minRate) · (1 + cos(π · min(step, totalSteps) / totalSteps)) / 2</c>.
    /// </summary>
    /// <remarks>
    /// After <see cref="TotalSteps"/> the rate stays at <see cref="MinRate"/> instead of rising again (unlike PyTorch's
    /// <c>CosineAnnealingLR</c> past <c>T_max</c>), because training past the planned length should not speed up.
    /// </remarks>
    public sealed class CosineSchedule : ILearningRateSchedule
    {
        /// <summary>Creates the schedule.</summary>
        /// <param name="totalSteps">The number of steps over which the rate anneals (positive).</param>
        /// <param name="minRate">The final learning rate, an absolute rate rather than a fraction of the base rate (finite, not negative).</param>
        /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
        public CosineSchedule(int totalSteps, double minRate = 0)
        {
            if (totalSteps <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "The number of steps must be positive.");
            }

            if (!(minRate >= 0) || double.IsInfinity(minRate))
            {
                throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "The minimum rate must be finite and not negative.");
            }

            TotalSteps = totalSteps;
            MinRate = minRate;
        }

        /// <summary>The number of steps over which the rate anneals.</summary>
        public int TotalSteps { get; }

        /// <summary>The rate reached at <see cref="TotalSteps"/> and kept afterwards.</summary>
        public double MinRate { get; }

        /// <inheritdoc/>
        public double LearningRate(int step, double baseRate)
        {
            int clamped = Math.Clamp(step, 0, TotalSteps);
            double progress = (double)clamped / TotalSteps;
            return MinRate + ((baseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
        }
    }
}
