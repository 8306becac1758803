using System;
using System.Linq;
using DiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DiffGen.Generator.Tests
{
    /// <summary>
    /// Snapshots of the generated source for a representative set of methods, in
    /// <c>Snapshots/SnapshotTests.&lt;Test&gt;.verified.cs</c>. Each test has its own source, so editing one model
    /// shifts no line numbers in another snapshot. After the snapshot comparison each test also checks that the
    /// generated code compiles warning-free, so an accepted snapshot of broken code still fails.
    /// Accept changes with <c>DIFFGEN_ACCEPT_SNAPSHOTS=1 dotnet test ...</c>, then review the diff of the .verified.cs files.
    /// </summary>
    public class SnapshotTests
    {
        private static void Verify(string source, string hintFragment, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
        {
            var run = GeneratorHarness.Run(source);
            Snapshot.Match(run.Source(hintFragment), nameof(SnapshotTests), test, SourceFile());
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            var problems = run.CompileDiagnostics.Where(d => d.Id != "CS1591").ToList();
            Assert.True(problems.Count == 0, "generated code does not compile cleanly:\n" + string.Join("\n", problems));
        }

        private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

        [Fact]
        public void LeastSquaresLoss() => Verify("""
            using DiffGen;

            namespace Samples
            {
                public static partial class Model
                {
                    [Differentiable]
                    public static double Loss(double w, double b, [NoDiff] double x, [NoDiff] double y)
                    {
                        var err = w * x + b - y;
                        return err * err;
                    }
                }
            }
            """, "Model.Loss");

        [Fact]
        public void Rosenbrock() => Verify("""
            using DiffGen;

            namespace Samples
            {
                public static partial class Functions
                {
                    [Differentiable]
                    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
                }
            }
            """, "Functions.Rosenbrock");

        [Fact]
        public void BlackScholesWithCustomNormalCdf() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Options
                {
                    [Differentiable]
                    public static double CallPrice(double spot, double strike, double rate, double volatility, double time)
                    {
                        double sqrtT = Math.Sqrt(time);
                        double d1 = (Math.Log(spot / strike) + (rate + 0.5 * volatility * volatility) * time) / (volatility * sqrtT);
                        double d2 = d1 - volatility * sqrtT;
                        return spot * NormalCdf(d1) - strike * Math.Exp(-rate * time) * NormalCdf(d2);
                    }

                    public static double NormalCdf(double x) => 0.5 * DiffMath.Erfc(-x / Math.Sqrt(2.0));

                    [DerivativeOf(nameof(NormalCdf))]
                    public static double NormalCdfBackward(double x, double seed, ref double dX)
                    {
                        dX += seed * Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);
                        return NormalCdf(x);
                    }
                }
            }
            """, "Options.CallPrice");

        [Fact]
        public void BranchesAndEarlyReturns() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Branches
                {
                    [Differentiable]
                    public static double Piecewise(double x, double y)
                    {
                        if (x < 0)
                        {
                            return -x * y;
                        }
                        else if (x < 1)
                        {
                            var t = x * x;
                            if (y > t)
                            {
                                return y - t;
                            }

                            t = t * y;
                            return Math.Sin(t);
                        }
                        else
                        {
                            y = y * x;
                        }

                        return y * y + x;
                    }
                }
            }
            """, "Branches.Piecewise");

        [Fact]
        public void FloatWithMathF() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Floats
                {
                    [Differentiable]
                    public static float Gaussian(float x, float mu, float sigma)
                    {
                        float z = (x - mu) / sigma;
                        return MathF.Exp(-0.5f * z * z) / (sigma * MathF.Sqrt(2f * MathF.PI));
                    }
                }
            }
            """, "Floats.Gaussian");

        [Fact]
        public void Composition() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Compose
                {
                    [Differentiable]
                    public static double Inner(double a, double b) => Math.Sin(a) * b;

                    [Differentiable]
                    public static double Outer(double x, double y)
                    {
                        double s = Inner(x, y);
                        return Inner(s, x) + s * y;
                    }
                }
            }
            """, "Compose.Outer");

        [Fact]
        public void PolynomialFit() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Fit
                {
                    [Differentiable]
                    public static double Loss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
                    {
                        double total = 0.0;
                        for (int i = 0; i < xs.Length; i++)
                        {
                            double p = 0.0;
                            double xPow = 1.0;
                            for (int k = 0; k < c.Length; k++)
                            {
                                p += c[k] * xPow;
                                xPow *= xs[i];
                            }

                            double r = p - ys[i];
                            total += r * r;
                        }

                        return total / xs.Length;
                    }
                }
            }
            """, "Fit.Loss");

        [Fact]
        public void TanhNetwork() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Network
                {
                    public const int Hidden = 16;

                    [Differentiable]
                    public static double Loss(ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, ReadOnlySpan<double> w2, double b2,
                        [NoDiff] ReadOnlySpan<double> x, [NoDiff] double target)
                    {
                        double[] h = new double[Hidden];
                        for (int j = 0; j < Hidden; j++)
                        {
                            double a = b1[j];
                            for (int i = 0; i < 2; i++)
                            {
                                a += w1[j * 2 + i] * x[i];
                            }

                            h[j] = Math.Tanh(a);
                        }

                        double y = b2;
                        for (int j = 0; j < Hidden; j++)
                        {
                            y += w2[j] * h[j];
                        }

                        double e = y - target;
                        return 0.5 * e * e;
                    }
                }
            }
            """, "Network.Loss");

        [Fact]
        public void ProjectileEuler() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Ballistics
                {
                    [Differentiable]
                    public static double Range(double speed, double angle, double drag)
                    {
                        const double G = 9.81;
                        const double Dt = 0.005;
                        double x = 0.0, y = 0.0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        for (int step = 0; step < 1000; step++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            double xNext = x + Dt * vx;
                            double yNext = y + Dt * vy;
                            if (yNext < 0.0)
                            {
                                return x + (xNext - x) * y / (y - yNext);
                            }

                            x = xNext;
                            y = yNext;
                            vx -= Dt * drag * v * vx;
                            vy -= Dt * (G + drag * v * vy);
                        }

                        return x;
                    }
                }
            }
            """, "Ballistics.Range");
    

        [Fact]
        public void RosenbrockForwardAndSecondOrder() => Verify("""
            using DiffGen;

            namespace Samples
            {
                public static partial class Newton
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward | DiffModes.Hessian)]
                    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
                }
            }
            """, "Newton.Rosenbrock");

        [Fact]
        public void LoopHessianVector() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Energy
                {
                    // A chain of springs: Σ (x[i+1] − x[i] − rest)² + Σ cos(x[i]).
                    [Differentiable(Modes = DiffModes.Forward | DiffModes.Hessian)]
                    public static double Chain(ReadOnlySpan<double> x, [NoDiff] double rest)
                    {
                        double e = 0;
                        for (int i = 0; i + 1 < x.Length; i++)
                        {
                            double stretch = x[i + 1] - x[i] - rest;
                            e += stretch * stretch + Math.Cos(x[i]);
                        }

                        return e;
                    }
                }
            }
            """, "Energy.Chain");

        [Fact]
        public void VectorValuedJacobian() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Kinematics
                {
                    // A two-link arm: joint angles to the hand's position.
                    [Differentiable(Modes = DiffModes.Jacobian)]
                    public static void Hand(double shoulder, double elbow, [NoDiff] double upper, [NoDiff] double lower, [Output] Span<double> position)
                    {
                        double reach = shoulder + elbow;
                        position[0] = upper * Math.Cos(shoulder) + lower * Math.Cos(reach);
                        position[1] = upper * Math.Sin(shoulder) + lower * Math.Sin(reach);
                    }
                }
            }
            """, "Kinematics.Hand");

        [Fact]
        public void ForwardThroughCalls() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Options
                {
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Forward)]
                    public static double Call(double s, double k, double t, double r, double sigma)
                    {
                        double d1 = (Math.Log(s / k) + (r + 0.5 * sigma * sigma) * t) / (sigma * Math.Sqrt(t));
                        double d2 = d1 - sigma * Math.Sqrt(t);
                        return s * DiffMath.NormalCdf(d1) - k * Math.Exp(-r * t) * DiffMath.NormalCdf(d2);
                    }
                }
            }
            """, "Options.Call");

        [Fact]
        public void SoftmaxWithRunningMaximum() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Classifier
                {
                    // −log softmax(z)[label], with the maximum subtracted first: the max loop keeps only an index.
                    [Differentiable]
                    public static double CrossEntropy(ReadOnlySpan<double> logits, [NoDiff] int label)
                    {
                        double max = logits[0];
                        for (int i = 1; i < logits.Length; i++)
                        {
                            max = Math.Max(max, logits[i]);
                        }

                        double sum = 0;
                        for (int i = 0; i < logits.Length; i++)
                        {
                            sum += Math.Exp(logits[i] - max);
                        }

                        return Math.Log(sum) + max - logits[label];
                    }
                }
            }
            """, "Classifier.CrossEntropy");

        [Fact]
        public void HessianThroughSpanCalls() => Verify("""
            using System;
            using DiffGen;

            namespace Samples
            {
                public static partial class Regularised
                {
                    // A log-sum-exp objective with a weighted ridge term, second order through DiffMath's span helpers.
                    [Differentiable(Modes = DiffModes.Reverse | DiffModes.Hessian)]
                    public static double Objective(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> weights, double lambda)
                    {
                        return DiffMath.LogSumExp(x) + lambda * DiffMath.Dot(x, weights) * DiffMath.Dot(x, weights);
                    }
                }
            }
            """, "Regularised.Objective");
    }
}
