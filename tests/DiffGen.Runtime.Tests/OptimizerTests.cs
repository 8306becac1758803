using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    public class OptimizerTests
    {
        [Fact]
        public void SgdSubtractsLearningRateTimesGradient()
        {
            var sgd = new Sgd(3, learningRate: 0.1);
            double[] p = [1.0, -2.0, 3.0];

            sgd.Step(p, [0.5, -1.0, 0.0]);
            Close.All([0.95, -1.9, 3.0], p, 1e-15);

            sgd.Step(p, [2.0, 0.0, -4.0]);
            Close.All([0.75, -1.9, 3.4], p, 1e-15);
            Assert.Equal(2, sgd.StepCount);
        }

        [Fact]
        public void MomentumAccumulatesVelocity()
        {
            // v1 = g1 = 1, θ1 = θ0 − 0.1·1; v2 = 0.9·1 + 0.5 = 1.4, θ2 = θ1 − 0.1·1.4.
            var opt = new SgdMomentum(1, learningRate: 0.1, momentum: 0.9);
            double[] p = [2.0];
            opt.Step(p, [1.0]);
            Close.Equal(1.9, p[0], 1e-15);
            opt.Step(p, [0.5]);
            Close.Equal(1.76, p[0], 1e-15);
            Close.Equal(1.4, opt.Velocity[0], 1e-15);
        }

        [Fact]
        public void NesterovMomentumLooksAhead()
        {
            // v1 = 1, θ1 = θ0 − 0.1·(1 + 0.9·1) = 1.81; v2 = 1.4, θ2 = θ1 − 0.1·(0.5 + 0.9·1.4) = 1.81 − 0.176.
            var opt = new SgdMomentum(1, learningRate: 0.1, momentum: 0.9, nesterov: true);
            double[] p = [2.0];
            opt.Step(p, [1.0]);
            Close.Equal(1.81, p[0], 1e-15);
            opt.Step(p, [0.5]);
            Close.Equal(1.634, p[0], 1e-15);
        }

        [Fact]
        public void AdamMatchesAlgorithmOneByHand()
        {
            var adam = new Adam(2, learningRate: 0.1);
            double[] p = [1.0, -2.0];

            // Step 1 (t = 1), by hand for component 0 (g = 0.5):
            // m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025, m̂ = 0.05/(1 − 0.9) = 0.5, v̂ = 0.00025/(1 − 0.999) = 0.25,
            // θ = 1 − 0.1·0.5/(0.5 + 1e-8). Component 1 (g = −0.1): θ = −2 + 0.1·0.1/(0.1 + 1e-8).
            // Reference values evaluated in 40-digit decimal arithmetic.
            adam.Step(p, [0.5, -0.1]);
            Close.Equal(0.9000000019999999600000008, p[0], 1e-14);
            Close.Equal(-1.9000000099999990000001, p[1], 1e-14);

            // Bias correction is what makes the first step ≈ lr in size whatever the gradient's scale; without it the
            // step would be 0.1·0.05/√0.00025 ≈ 0.316 for component 0.
            Close.Equal(0.1, 1.0 - p[0], 1e-7);

            // Step 2 (t = 2), component 0 (g = 0.2): m = 0.9·0.05 + 0.1·0.2 = 0.065, v = 0.999·0.00025 + 0.001·0.04 = 0.00028975,
            // m̂ = 0.065/(1 − 0.81), v̂ = 0.00028975/(1 − 0.998001), θ −= 0.1·m̂/(√v̂ + 1e-8).
            adam.Step(p, [0.2, 0.3]);
            double mHat0 = 0.065 / 0.19;
            double vHat0 = 0.00028975 / 0.001999;
            Close.Equal(0.9000000019999999600000008 - (0.1 * mHat0 / (Math.Sqrt(vHat0) + 1e-8)), p[0], 1e-14);
            Close.Equal(0.81014248390292758594336, p[0], 1e-14);
            Close.Equal(-1.949418991120065785346916, p[1], 1e-14);
            Close.Equal(0.065, adam.FirstMoment[0], 1e-14);
            Close.Equal(0.00028975, adam.SecondMoment[0], 1e-14);
            Assert.Equal(2, adam.StepCount);
        }

        [Fact]
        public void AdamDefaultsAreThoseOfThePaper()
        {
            var adam = new Adam(1);
            Assert.Equal(1e-3, adam.LearningRate);
            Assert.Equal(0.9, adam.Beta1);
            Assert.Equal(0.999, adam.Beta2);
            Assert.Equal(1e-8, adam.Epsilon);
        }

        [Fact]
        public void AdamMinimisesAQuadratic()
        {
            // f(θ) = Σ (θᵢ − cᵢ)²: a smoke test that the sign and the moments fit together.
            double[] target = [3.0, -1.0, 0.5];
            double[] p = new double[3];
            double[] g = new double[3];
            var adam = new Adam(3, learningRate: 0.05);
            for (int step = 0; step < 2000; step++)
            {
                for (int i = 0; i < 3; i++)
                {
                    g[i] = 2 * (p[i] - target[i]);
                }

                adam.Step(p, g);
            }

            Close.All(target, p, 0, 1e-4);
        }

        [Fact]
        public void ScheduleSetsTheRateOfEachStep()
        {
            // Step decay halves the rate after every step: updates of 0.1·1, 0.05·1, 0.025·1.
            var sgd = new Sgd(1, 0.1, new StepDecaySchedule(1, 0.5));
            double[] p = [0.0];
            Assert.Equal(0.1, sgd.CurrentLearningRate);
            sgd.Step(p, [1.0]);
            sgd.Step(p, [1.0]);
            sgd.Step(p, [1.0]);
            Close.Equal(-0.175, p[0], 1e-15);
            Assert.Equal(0.0125, sgd.CurrentLearningRate);

            // Adam with a schedule: the first step's size is the scheduled rate.
            var adam = new Adam(1, learningRate: 1.0, schedule: new ExponentialDecaySchedule(0.5));
            double[] q = [0.0];
            adam.Step(q, [3.0]);
            adam.Step(q, [3.0]);
            Close.Equal(-1.5, q[0], 1e-7);
        }

        [Fact]
        public void LengthMismatchNamesTheArgument()
        {
            IOptimizer[] optimizers = [new Sgd(2, 0.1), new SgdMomentum(2, 0.1), new Adam(2)];
            foreach (IOptimizer opt in optimizers)
            {
                var ex1 = Assert.Throws<ArgumentException>(() => opt.Step(new double[3], new double[2]));
                Assert.Equal("parameters", ex1.ParamName);
                var ex2 = Assert.Throws<ArgumentException>(() => opt.Step(new double[2], new double[1]));
                Assert.Equal("gradient", ex2.ParamName);
                Assert.Equal(0, opt.StepCount);
            }
        }

        [Fact]
        public void ConstructorsRejectBadHyperparameters()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(-1, 0.1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(1, double.NaN));
            Assert.Throws<ArgumentOutOfRangeException>(() => new SgdMomentum(1, 0.1, momentum: 1.0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(1, beta1: 1.0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(1, beta2: -0.1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(1, epsilon: -1));
        }

        [Fact]
        public void ResetForgetsState()
        {
            var adam = new Adam(1, learningRate: 0.1);
            double[] p = [0.0];
            adam.Step(p, [1.0]);
            adam.Step(p, [1.0]);
            adam.Reset();
            Assert.Equal(0, adam.StepCount);
            Assert.Equal(0.0, adam.FirstMoment[0]);
            double before = p[0];
            adam.Step(p, [-4.0]);

            // A fresh first step again has size ≈ lr (bias correction with t = 1).
            Close.Equal(0.1, p[0] - before, 1e-7);

            var momentum = new SgdMomentum(1, 0.1);
            momentum.Step(p, [1.0]);
            momentum.Reset();
            Assert.Equal(0.0, momentum.Velocity[0]);
        }

        [Fact]
        public void StepsDoNotAllocate()
        {
            double[] p = new double[64];
            double[] g = new double[64];
            for (int i = 0; i < g.Length; i++)
            {
                g[i] = Math.Sin(i);
            }

            IOptimizer[] optimizers =
            [
                new Sgd(64, 0.01, new CosineSchedule(100, 0.001)),
                new SgdMomentum(64, 0.01, nesterov: true, schedule: new StepDecaySchedule(10, 0.5)),
                new Adam(64, schedule: new ExponentialDecaySchedule(0.99)),
            ];
            foreach (IOptimizer opt in optimizers)
            {
                opt.Step(p, g); // warm up (JIT, static initialisation)
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 1000; i++)
                {
                    opt.Step(p, g);
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated == 0, $"{opt.GetType().Name} allocated {allocated} bytes in 1000 steps.");
            }
        }
    }
}
