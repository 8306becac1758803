using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    public class ScheduleTests
    {
        [Fact]
        public void ConstantKeepsTheBaseRate()
        {
            Assert.Equal(0.3, ConstantSchedule.Instance.LearningRate(0, 0.3));
            Assert.Equal(0.3, new ConstantSchedule().LearningRate(12345, 0.3));
        }

        [Theory]
        [InlineData(0, 1.0)]
        [InlineData(2, 1.0)]
        [InlineData(3, 0.1)]
        [InlineData(5, 0.1)]
        [InlineData(6, 0.01)]
        [InlineData(10, 0.001)]
        public void StepDecayDropsEveryInterval(int step, double expectedFactor)
        {
            var schedule = new StepDecaySchedule(every: 3, factor: 0.1);
            Close.Equal(2.0 * expectedFactor, schedule.LearningRate(step, 2.0), 1e-15);
        }

        [Fact]
        public void ExponentialDecayMultipliesEachStep()
        {
            var schedule = new ExponentialDecaySchedule(0.9);
            Assert.Equal(0.5, schedule.LearningRate(0, 0.5));
            Close.Equal(0.5 * 0.9, schedule.LearningRate(1, 0.5), 1e-15);
            Close.Equal(0.5 * 0.729, schedule.LearningRate(3, 0.5), 1e-15);
        }

        [Theory]
        [InlineData(0, 1.0)]
        [InlineData(5, 0.55)] // 0.1 + 0.9·(1 + cos(π/2))/2
        [InlineData(10, 0.1)]
        [InlineData(25, 0.1)] // stays at the minimum after the planned length
        public void CosineAnnealsToTheMinimum(int step, double expected)
        {
            var schedule = new CosineSchedule(totalSteps: 10, minRate: 0.1);
            Close.Equal(expected, schedule.LearningRate(step, 1.0), 1e-15);
        }

        [Fact]
        public void CosineQuarterPointMatchesTheFormula()
        {
            // step 2.5 of 10 is not an integer; use 20 steps and step 5: 0.5·(1 + cos(π/4)) = 0.85355339059327373.
            var schedule = new CosineSchedule(20, 0.0);
            Close.Equal(0.85355339059327373, schedule.LearningRate(5, 1.0), 1e-15);
        }

        [Fact]
        public void SchedulesRejectBadArguments()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(0, 0.5));
            Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecaySchedule(3, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecaySchedule(double.NaN));
            Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0, 0.1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(10, -0.1));
        }
    }
}
