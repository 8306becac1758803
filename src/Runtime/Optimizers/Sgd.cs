using System;

namespace DiffGen
{
    /// <summary>
    /// Plain stochastic gradient descent: <c>θ ← θ − η_t · g</c>, where <c>η_t</c> is the scheduled learning rate.
    /// </summary>
    public sealed class Sgd : IOptimizer
    {
        /// <summary>Creates the optimiser.</summary>
        /// <param name="parameterCount">How many parameters every step updates.</param>
        /// <param name="learningRate">The base learning rate η (finite, not negative).</param>
        /// <param name="schedule">How η changes with the step count; <see langword="null"/> keeps it constant.</param>
        /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
        public Sgd(int parameterCount, double learningRate, ILearningRateSchedule? schedule = null)
        {
            OptimizerChecks.ParameterCount(parameterCount);
            OptimizerChecks.LearningRate(learningRate);
            ParameterCount = parameterCount;
            LearningRate = learningRate;
            Schedule = schedule ?? ConstantSchedule.Instance;
        }

        /// <inheritdoc/>
        public int ParameterCount { get; }

        /// <summary>The base learning rate, before the schedule is applied.</summary>
        public double LearningRate { get; }

        /// <summary>The learning-rate schedule (a <see cref="ConstantSchedule"/> when none was given).</summary>
        public ILearningRateSchedule Schedule { get; }

        /// <inheritdoc/>
        public int StepCount { get; private set; }

        /// <summary>The learning rate the next <see cref="Step"/> will use.</summary>
        public double CurrentLearningRate => Schedule.LearningRate(StepCount, LearningRate);

        /// <inheritdoc/>
        public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            OptimizerChecks.Step(ParameterCount, parameters.Length, gradient.Length);
            double rate = CurrentLearningRate;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= rate * gradient[i];
            }

            StepCount++;
        }

        /// <inheritdoc/>
        public void Reset()
        {
            StepCount = 0;
        }
    }
}
