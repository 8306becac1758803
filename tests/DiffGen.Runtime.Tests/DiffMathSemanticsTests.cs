using System;
using System.Collections.Generic;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>The Backward contract: adjoints are accumulated (never overwritten) and scaled by the seed; spans are checked.</summary>
    public class DiffMathSemanticsTests
    {
        private static readonly Dictionary<string, ScalarBackwardFunction> ScalarPullbacks = new()
        {
            ["Sigmoid"] = DiffMath.SigmoidBackward,
            ["Softplus"] = DiffMath.SoftplusBackward,
            ["Relu"] = DiffMath.ReluBackward,
            ["LeakyRelu(x, 0.1)"] = (double x, double seed, ref double dX) =>
            {
                double ignored = 0;
                return DiffMath.LeakyReluBackward(x, 0.1, seed, ref dX, ref ignored);
            },
            ["Erf"] = DiffMath.ErfBackward,
            ["Erfc"] = DiffMath.ErfcBackward,
            ["NormalCdf"] = DiffMath.NormalCdfBackward,
            ["NormalPdf"] = DiffMath.NormalPdfBackward,
        };

        public static TheoryData<string> ScalarNames => new(ScalarPullbacks.Keys);

        [Theory]
        [MemberData(nameof(ScalarNames))]
        public void ScalarPullbackAccumulatesAndScalesBySeed(string name)
        {
            ScalarBackwardFunction backward = ScalarPullbacks[name];
            // At 0.8 every derivative is non-zero, so a pullback that adds nothing fails; −1.3 covers the other branch.
            foreach (double x in new[] { 0.8, -1.3 })
            {
                double single = 0;
                backward(x, 1.0, ref single);
                Assert.True(x < 0 || single != 0, $"{name}: zero derivative at {x}");

                // Twice into the same adjoint, starting from a non-zero value that must survive.
                double twice = 0.25;
                backward(x, 1.0, ref twice);
                backward(x, 1.0, ref twice);
                Close.Equal(0.25 + (2 * single), twice, 1e-15, 0, name);

                double scaled = 0;
                double value = backward(x, -3.0, ref scaled);
                Close.Equal(-3.0 * single, scaled, 1e-15, 0, name);

                // The value does not depend on the seed.
                double unused = 0;
                Assert.Equal(backward(x, 1.0, ref unused), value);
            }
        }

        [Fact]
        public void LeakyReluAccumulatesBothAdjoints()
        {
            double dX = 1.0;
            double dSlope = -1.0;
            DiffMath.LeakyReluBackward(-2.0, 0.1, 0.5, ref dX, ref dSlope);
            DiffMath.LeakyReluBackward(-2.0, 0.1, 0.5, ref dX, ref dSlope);
            Close.Equal(1.0 + (2 * 0.5 * 0.1), dX, 1e-15);
            Close.Equal(-1.0 + (2 * 0.5 * -2.0), dSlope, 1e-15);
        }

        [Fact]
        public void SpanPullbacksAccumulateAndScaleBySeed()
        {
            double[] a = [0.5, -1.5, 2.0];
            double[] b = [1.0, 0.25, -0.5];

            CheckSpan(d => DiffMath.LogSumExpBackward(a, 2.0, d), d => DiffMath.LogSumExpBackward(a, 1.0, d), 3);
            CheckSpan(d => DiffMath.SumBackward(a, 2.0, d), d => DiffMath.SumBackward(a, 1.0, d), 3);
            CheckSpan(d => DiffMath.SoftmaxCrossEntropyBackward(a, 1, 2.0, d), d => DiffMath.SoftmaxCrossEntropyBackward(a, 1, 1.0, d), 3);
            CheckSpan(d => DiffMath.DotBackward(a, b, 2.0, d, new double[3]), d => DiffMath.DotBackward(a, b, 1.0, d, new double[3]), 3);
            CheckSpan(d => DiffMath.DotBackward(a, b, 2.0, new double[3], d), d => DiffMath.DotBackward(a, b, 1.0, new double[3], d), 3);
            CheckSpan(d => DiffMath.MeanSquaredErrorBackward(a, b, 2.0, d, new double[3]), d => DiffMath.MeanSquaredErrorBackward(a, b, 1.0, d, new double[3]), 3);
            CheckSpan(d => DiffMath.MeanSquaredErrorBackward(a, b, 2.0, new double[3], d), d => DiffMath.MeanSquaredErrorBackward(a, b, 1.0, new double[3], d), 3);
        }

        /// <summary>seed 2 once == seed 1 twice == 2 × seed 1 once, all on top of a pre-filled adjoint.</summary>
        private static void CheckSpan(Action<double[]> withSeedTwo, Action<double[]> withSeedOne, int length)
        {
            double[] once = new double[length];
            withSeedOne(once);
            Assert.Contains(once, v => v != 0);

            double[] twice = [10.0, 20.0, 30.0];
            withSeedOne(twice);
            withSeedOne(twice);
            double[] seeded = [10.0, 20.0, 30.0];
            withSeedTwo(seeded);
            for (int i = 0; i < length; i++)
            {
                double expected = ((i + 1) * 10.0) + (2 * once[i]);
                Close.Equal(expected, twice[i], 1e-14, 0, $"twice[{i}]");
                Close.Equal(expected, seeded[i], 1e-14, 0, $"seeded[{i}]");
            }
        }

        [Fact]
        public void MismatchedSpansNameTheArgument()
        {
            double[] three = new double[3];
            double[] two = new double[2];
            Assert.Equal("b", Assert.Throws<ArgumentException>(() => DiffMath.Dot(three, two)).ParamName);
            Assert.Equal("dA", Assert.Throws<ArgumentException>(() => DiffMath.DotBackward(three, three, 1, two, three)).ParamName);
            Assert.Equal("dB", Assert.Throws<ArgumentException>(() => DiffMath.DotBackward(three, three, 1, three, two)).ParamName);
            Assert.Equal("dX", Assert.Throws<ArgumentException>(() => DiffMath.SumBackward(three, 1, two)).ParamName);
            Assert.Equal("dX", Assert.Throws<ArgumentException>(() => DiffMath.LogSumExpBackward(three, 1, two)).ParamName);
            Assert.Equal("target", Assert.Throws<ArgumentException>(() => DiffMath.MeanSquaredError(three, two)).ParamName);
            Assert.Equal("dTarget", Assert.Throws<ArgumentException>(() => DiffMath.MeanSquaredErrorBackward(three, three, 1, three, two)).ParamName);
            Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => DiffMath.MeanSquaredError([], [])).ParamName);
            Assert.Equal("dLogits", Assert.Throws<ArgumentException>(() => DiffMath.SoftmaxCrossEntropyBackward(three, 0, 1, two)).ParamName);
            Assert.Equal("output", Assert.Throws<ArgumentException>(() => DiffMath.Softmax(three, two)).ParamName);
            Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => DiffMath.SoftmaxCrossEntropy(three, 3)).ParamName);
            Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => DiffMath.SoftmaxCrossEntropy(three, -1)).ParamName);
        }

        [Fact]
        public void KinksFollowPyTorch()
        {
            double dX = 0;
            DiffMath.ReluBackward(0.0, 1.0, ref dX);
            Assert.Equal(0.0, dX);

            double dSlope = 0;
            DiffMath.LeakyReluBackward(0.0, 0.2, 1.0, ref dX, ref dSlope);
            Assert.Equal(0.2, dX);
            Assert.Equal(0.0, dSlope);
        }

        [Fact]
        public void PullbacksDoNotAllocate()
        {
            double[] x = [0.5, -1.5, 2.0];
            double[] y = [1.0, 0.25, -0.5];
            double[] d1 = new double[3];
            double[] d2 = new double[3];
            RunAll(x, y, d1, d2); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                RunAll(x, y, d1, d2);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        private static double RunAll(double[] x, double[] y, double[] d1, double[] d2)
        {
            double s = 0;
            double d = 0;
            double e = 0;
            s += DiffMath.SigmoidBackward(0.3, 1, ref d) + DiffMath.SoftplusBackward(0.3, 1, ref d) + DiffMath.ReluBackward(0.3, 1, ref d);
            s += DiffMath.LeakyReluBackward(-0.3, 0.1, 1, ref d, ref e) + DiffMath.ErfBackward(0.3, 1, ref d) + DiffMath.ErfcBackward(2.3, 1, ref d);
            s += DiffMath.NormalCdfBackward(-5.3, 1, ref d) + DiffMath.NormalPdfBackward(0.3, 1, ref d);
            s += DiffMath.LogSumExpBackward(x, 1, d1) + DiffMath.SumBackward(x, 1, d1) + DiffMath.DotBackward(x, y, 1, d1, d2);
            s += DiffMath.MeanSquaredErrorBackward(x, y, 1, d1, d2) + DiffMath.SoftmaxCrossEntropyBackward(x, 2, 1, d1);
            DiffMath.Softmax(x, d2);
            return s + d + e;
        }
    }
}
