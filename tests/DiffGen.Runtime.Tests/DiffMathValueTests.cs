using System;
using DiffGen.Runtime.Tests.Support;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>Forward values, especially where naive formulas overflow, underflow or cancel.</summary>
    public class DiffMathValueTests
    {
        [Fact]
        public void SigmoidIsStableForLargeArguments()
        {
            Assert.Equal(0.5, DiffMath.Sigmoid(0));
            Assert.Equal(1.0, DiffMath.Sigmoid(1000));
            Assert.Equal(0.0, DiffMath.Sigmoid(-1000));

            // σ(−40) = e^{−40}/(1 + e^{−40}) keeps full relative precision (1 − σ(40) would be 0).
            Close.Equal(Math.Exp(-40) / (1 + Math.Exp(-40)), DiffMath.Sigmoid(-40), 1e-15);
            Close.Equal(0.7310585786300049, DiffMath.Sigmoid(1), 1e-15); // 1/(1 + e^{−1})
        }

        [Fact]
        public void SigmoidDerivativeIsSymmetricAndKeepsItsTail()
        {
            double right = 0;
            double left = 0;
            DiffMath.SigmoidBackward(40, 1, ref right);
            DiffMath.SigmoidBackward(-40, 1, ref left);

            // σ(x)(1 − σ(x)) would give 0 at x = 40; the true value is e^{−40}/(1 + e^{−40})² ≈ 4.25e-18.
            Assert.Equal(left, right);
            Close.Equal(Math.Exp(-40), right, 1e-15);
        }

        [Fact]
        public void SoftplusIsStable()
        {
            Assert.Equal(1000.0, DiffMath.Softplus(1000));
            Assert.Equal(0.0, DiffMath.Softplus(-1000));
            Close.Equal(0.69314718055994531, DiffMath.Softplus(0), 1e-16); // ln 2
            Close.Equal(Math.Exp(-40), DiffMath.Softplus(-40), 1e-15); // log(1 + ε) = ε − ε²/2 …
            Close.Equal(0.69314718055994531 - 0.5e-10, DiffMath.Softplus(-1e-10), 1e-15); // ln 2 + x/2 + x²/8 …
            Close.Equal(40 + Math.Exp(-40), DiffMath.Softplus(40), 1e-16);
        }

        [Fact]
        public void ReluAndLeakyRelu()
        {
            Assert.Equal(2.5, DiffMath.Relu(2.5));
            Assert.Equal(0.0, DiffMath.Relu(-2.5));
            Assert.True(double.IsNaN(DiffMath.Relu(double.NaN)));
            Assert.Equal(2.5, DiffMath.LeakyRelu(2.5, 0.1));
            Assert.Equal(-0.25, DiffMath.LeakyRelu(-2.5, 0.1));
        }

        [Fact]
        public void LogSumExpIsStable()
        {
            Close.Equal(1000 + Math.Log(2), DiffMath.LogSumExp([1000, 1000]), 1e-16);
            Close.Equal(-1000 + Math.Log(2), DiffMath.LogSumExp([-1000, -1000]), 1e-16);
            Close.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(-0.5)), DiffMath.LogSumExp([1, 2, -0.5]), 1e-15);
            Assert.Equal(double.NegativeInfinity, DiffMath.LogSumExp([]));
            Assert.Equal(double.NegativeInfinity, DiffMath.LogSumExp([double.NegativeInfinity, double.NegativeInfinity]));
            Assert.Equal(double.PositiveInfinity, DiffMath.LogSumExp([double.PositiveInfinity, 1]));
            Assert.True(double.IsNaN(DiffMath.LogSumExp([1, double.NaN, 2])));
        }

        [Fact]
        public void SoftmaxNormalisesAndWorksInPlace()
        {
            double[] logits = [1000, 1001, 999];
            double[] output = new double[3];
            DiffMath.Softmax(logits, output);
            Close.Equal(1.0, DiffMath.Sum(output), 1e-15);

            // softmax(1000, 1001, 999) = (1, e, 1/e)/(1 + e + 1/e).
            double z = 1 + Math.E + (1 / Math.E);
            Close.All([1 / z, Math.E / z, 1 / (Math.E * z)], output, 1e-15);

            DiffMath.Softmax(logits, logits);
            Close.All(output, logits, 0);
        }

        [Fact]
        public void DotSumAndMeanSquaredError()
        {
            Assert.Equal(32.0, DiffMath.Dot([1, 2, 3], [4, 5, 6]));
            Assert.Equal(0.0, DiffMath.Dot([], []));
            Assert.Equal(6.0, DiffMath.Sum([1, 2, 3]));
            Assert.Equal(0.0, DiffMath.Sum([]));
            Assert.Equal(14.0 / 3.0, DiffMath.MeanSquaredError([1, 2, 3], [2, 0, 6]));
        }

        [Fact]
        public void SoftmaxCrossEntropyMatchesTheDefinition()
        {
            double[] logits = [2.0, -1.0, 0.5];
            double p1 = Math.Exp(-1.0) / (Math.Exp(2.0) + Math.Exp(-1.0) + Math.Exp(0.5));
            Close.Equal(-Math.Log(p1), DiffMath.SoftmaxCrossEntropy(logits, 1), 1e-15);

            // A confident right answer keeps its tiny loss log(1 + e^{−50}) ≈ e^{−50} rather than rounding to 0 via cancellation.
            Close.Equal(Math.Exp(-50), DiffMath.SoftmaxCrossEntropy([50.0, 0.0], 0), 1e-15);
            Assert.Equal(1000.0, DiffMath.SoftmaxCrossEntropy([1000.0, 0.0], 1));
        }
    }
}
