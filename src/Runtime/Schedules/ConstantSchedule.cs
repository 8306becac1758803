namespace DiffGen
{
    /// <summary>Keeps the base learning rate for every step. Optimisers use it when no schedule is given.</summary>
    public sealed class ConstantSchedule : ILearningRateSchedule
    {
        /// <summary>A shared instance; the schedule has no state, so one is enough.</summary>
        public static ConstantSchedule Instance { get; } = new ConstantSchedule();

        /// <summary>Returns <paramref name="baseRate"/> unchanged.</summary>
        /// <param name="step">Ignored.</param>
        /// <param name="baseRate">The optimiser's base learning rate.</param>
        /// <returns><paramref name="baseRate"/>.</returns>
        public double LearningRate(int step, double baseRate) => baseRate;
    }
}
