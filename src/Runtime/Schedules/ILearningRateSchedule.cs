namespace DiffGen
{
    /// <summary>
    /// Maps the optimiser's step count to the learning rate for that step. Implementations must be pure
    /// (same inputs, same rate) and must not allocate: optimisers call them once per step.
    /// </summary>
    public interface ILearningRateSchedule
    {
        /// <summary>The learning rate for an update.</summary>
        /// <param name="step">The number of updates already completed: 0 for the first update.</param>
        /// <param name="baseRate">The optimiser's base learning rate.</param>
        /// <returns>The learning rate to use for this update.</returns>
        double LearningRate(int step, double baseRate);
    }
}
