namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>
    /// Realistic, valid [Differentiable] programs: the seeds the fuzzer mutates. Each one must generate code with no
    /// DG error and compile (checked by <see cref="FuzzTests.Corpus_entries_are_valid_programs"/>), so that every
    /// mutation starts from code the generator fully understands and walks it through the states of a half-typed edit.
    /// </summary>
    internal static class FuzzCorpus
    {
        public static readonly string[] Sources =
        {
            """
            using DiffGen;

            namespace Fuzz.LinearRegression
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
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Rosenbrock;

            public static partial class Functions
            {
                private const double A = 1.0;
                private static readonly double B = 100.0;

                [Differentiable]
                public static double Rosenbrock(double x, double y) => (A - x) * (A - x) + B * Math.Pow(y - x * x, 2);

                [Differentiable]
                public static double Beale(double x, double y)
                {
                    double t1 = 1.5 - x + x * y;
                    double t2 = 2.25 - x + x * y * y;
                    double t3 = 2.625 - x + x * y * y * y;
                    return t1 * t1 + t2 * t2 + t3 * t3;
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Finance
            {
                public static partial class BlackScholes
                {
                    public static double NormalCdf(double x) => 0.5 * (1.0 + Erf(x / Math.Sqrt(2.0)));

                    private static double Erf(double x)
                    {
                        double t = 1.0 / (1.0 + 0.3275911 * Math.Abs(x));
                        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
                        return x >= 0 ? y : -y;
                    }

                    [DerivativeOf(nameof(NormalCdf))]
                    public static double NormalCdfBackward(double x, double seed, ref double dX)
                    {
                        dX += seed * Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);
                        return NormalCdf(x);
                    }

                    [Differentiable]
                    public static double Call(double spot, double strike, double rate, double vol, [NoDiff] double time)
                    {
                        double sqrtT = Math.Sqrt(time);
                        double d1 = (Math.Log(spot / strike) + (rate + 0.5 * vol * vol) * time) / (vol * sqrtT);
                        double d2 = d1 - vol * sqrtT;
                        return spot * NormalCdf(d1) - strike * Math.Exp(-rate * time) * NormalCdf(d2);
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Curve
            {
                public static partial class PolynomialFit
                {
                    [Differentiable]
                    public static double Loss(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys)
                    {
                        double sum = 0;
                        for (int i = 0; i < xs.Length; i++)
                        {
                            double x = xs[i];
                            double prediction = c[0] + x * (c[1] + x * (c[2] + x * c[3]));
                            double error = prediction - ys[i];
                            sum += error * error;
                        }

                        return sum / xs.Length;
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Networks
            {
                public static partial class TwoLayer
                {
                    private const int Hidden = 16;

                    [Differentiable]
                    public static double Loss(double[,] w1, double[] b1, double[] w2, double b2, [NoDiff] double[] input, [NoDiff] double target)
                    {
                        var h = new double[Hidden];
                        for (int j = 0; j < Hidden; j++)
                        {
                            double a = b1[j];
                            for (int k = 0; k < input.Length; k++)
                            {
                                a += w1[j, k] * input[k];
                            }

                            h[j] = Math.Tanh(a);
                        }

                        double output = b2;
                        for (int j = 0; j < Hidden; j++)
                        {
                            output += w2[j] * h[j];
                        }

                        double diff = output - target;
                        return 0.5 * diff * diff;
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Classification
            {
                public static partial class Softmax
                {
                    [Differentiable]
                    public static double CrossEntropy(ReadOnlySpan<double> logits, [NoDiff] int label)
                    {
                        double max = logits[0];
                        for (int i = 1; i < logits.Length; i++)
                        {
                            if (logits[i] > max)
                            {
                                max = logits[i];
                            }
                        }

                        double sum = 0;
                        foreach (double z in logits)
                        {
                            sum += Math.Exp(z - max);
                        }

                        return Math.Log(sum) + max - logits[label];
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Physics
            {
                public static partial class Projectile
                {
                    [Differentiable]
                    public static double Range(double speed, double angle, double drag, [NoDiff] int steps)
                    {
                        const double g = 9.81;
                        double dt = 0.01;
                        double x = 0, y = 0;
                        double vx = speed * Math.Cos(angle);
                        double vy = speed * Math.Sin(angle);
                        for (int i = 0; i < steps; i++)
                        {
                            double v = Math.Sqrt(vx * vx + vy * vy);
                            vx -= drag * v * vx * dt;
                            vy -= (g + drag * v * vy) * dt;
                            x += vx * dt;
                            y += vy * dt;
                            if (y < 0)
                            {
                                break;
                            }
                        }

                        return x;
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Numerics
            {
                public static partial class Newton
                {
                    [Differentiable]
                    public static double Sqrt(double a)
                    {
                        double x = a > 1 ? a : 1.0;
                        int iterations = 0;
                        while (Math.Abs(x * x - a) > 1e-12 * a && iterations < 100)
                        {
                            x = 0.5 * (x + a / x);
                            iterations++;
                        }

                        return x;
                    }

                    [Differentiable]
                    public static float Cube(float x)
                    {
                        float y = x;
                        do
                        {
                            y = y * 0.5f + x / (y * y) * 0.5f;
                        }
                        while (MathF.Abs(y * y * y - x) > 1e-4f);

                        return MathF.Sqrt(y * y) + MathF.Exp(-x);
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Piecewise
            {
                public static partial class Shapes
                {
                    [Differentiable]
                    public static double Huber(double r, [NoDiff] double delta)
                    {
                        double a = Math.Abs(r);
                        if (a <= delta)
                        {
                            return 0.5 * r * r;
                        }
                        else if (a < 10 * delta)
                        {
                            return delta * (a - 0.5 * delta);
                        }

                        return delta * a;
                    }

                    [Differentiable]
                    public static double Smooth(double x, double y, bool flip)
                    {
                        double m = Math.Max(x, y);
                        double n = Math.Min(x, y);
                        double c = Math.Clamp(x * y, -1.0, 1.0);
                        double s = flip && x > 0 || !flip && y > 0 ? Math.Atan2(y, x) : Math.Sinh(x) - Math.Cosh(y);
                        return m * n + c + s + Math.FusedMultiplyAdd(x, y, 1.0) + Math.Cbrt(x) + Math.Log10(1 + x * x) + Math.Log2(2 + y * y);
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Buffers
            {
                public static partial class Smoothing
                {
                    [Differentiable]
                    public static double Roughness(ReadOnlySpan<double> signal, [NoDiff] double lambda)
                    {
                        Span<double> diff = stackalloc double[signal.Length];
                        for (int i = 1; i < signal.Length; i++)
                        {
                            diff[i] = signal[i] - signal[i - 1];
                        }

                        diff[0] = 0;
                        double total = 0;
                        int k = 0;
                        while (k < signal.Length)
                        {
                            total += diff[k] * diff[k];
                            diff[k] *= 2;
                            k++;
                        }

                        for (int i = 0; i < signal.Length; i++)
                        {
                            if (i % 2 == 0)
                            {
                                continue;
                            }

                            total += lambda * diff[i];
                        }

                        return total;
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Data
            {
                public static partial class Regression
                {
                    [Differentiable]
                    public static double Loss(double[] weights, double bias, [NoDiff] double[][] rows, [NoDiff] double[] labels)
                    {
                        double total = 0;
                        for (int r = 0; r < rows.Length; r++)
                        {
                            double z = bias;
                            for (int j = 0; j < weights.Length; j++)
                            {
                                z += weights[j] * rows[r][j];
                            }

                            double p = 1.0 / (1.0 + Math.Exp(-z));
                            total -= labels[r] * Math.Log(p) + (1 - labels[r]) * Math.Log(1 - p);
                        }

                        return total / rows.Length;
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Composition
            {
                public static partial class Layers
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;

                    [Differentiable]
                    public static double Norm(ReadOnlySpan<double> v)
                    {
                        double s = 0;
                        for (int i = 0; i < v.Length; i++)
                        {
                            s += Square(v[i]);
                        }

                        return Math.Sqrt(s);
                    }
                }

                public static partial class Objective
                {
                    [Differentiable]
                    public static double Energy(double[] v, double scale)
                    {
                        double n = Layers.Norm(v);
                        return Layers.Square(scale * n) + DiffMath.Sigmoid(scale) + DiffMath.Dot(v, v);
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Matrices
            {
                public partial struct Quadratic
                {
                    [Differentiable]
                    internal static double Form(double[,] a, ReadOnlySpan<double> x)
                    {
                        double sum = 0;
                        int n = a.GetLength(0);
                        for (int i = 0; i < n; i++)
                        {
                            for (int j = 0; j <= i; j++)
                            {
                                double term = a[i, j] * x[i] * x[j];
                                sum += i == j ? term : 2 * term;
                            }
                        }

                        var m = new double[2, 2];
                        m[0, 0] = sum;
                        m[1, 1] = -sum;
                        m[0, 1] += m[0, 0] * m[1, 1];
                        return m[0, 0] + 0.001 * m[0, 1];
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Nested
            {
                public static partial class Outer
                {
                    public partial record Inner
                    {
                        [Differentiable]
                        public static double Mixture(double mu1, double mu2, double logSigma, [NoDiff] double[] data)
                        {
                            double sigma = Math.Exp(logSigma);
                            double ll = 0;
                            foreach (var x in data)
                            {
                                double a = Math.Exp(-0.5 * (x - mu1) * (x - mu1) / (sigma * sigma));
                                double b = Math.Exp(-0.5 * (x - mu2) * (x - mu2) / (sigma * sigma));
                                ll += Math.Log(0.5 * a + 0.5 * b + 1e-300) - Math.Log(sigma);
                            }

                            return -ll;
                        }
                    }
                }
            }
            """,
            """
            using System;
            using DiffGen;

            public static partial class GlobalModel
            {
                private static readonly double Epsilon = 1e-8;

                [Differentiable]
                public static double Trig(double a, double b, [NoDiff] int n)
                {
                    double acc = 0;
                    for (int i = 0; i < n; ++i)
                    {
                        acc += Math.Sin(a * i) * Math.Cos(b) + Math.Tan(a * 0.1) - Math.Asin(0.5 * Math.Tanh(b)) + Math.Acos(0.1) + Math.Atan(a);
                        acc *= 0.9;
                        acc /= 1 + Epsilon;
                    }

                    double t = -acc;
                    t++;
                    t--;
                    return Math.Asinh(t) + Math.Acosh(1 + a * a) + Math.Atanh(0.5 * Math.Tanh(b)) + Math.ScaleB(a, 2) + (double)(float)b % 3.0;
                }
            }
            """,
            """
            using System;
            using DiffGen;

            namespace Fuzz.Custom
            {
                public static class External
                {
                    public static double SoftClip(double x, double limit) => limit * Math.Tanh(x / limit);
                }

                public static partial class Registrations
                {
                    [DerivativeOf(typeof(External), nameof(External.SoftClip))]
                    public static double SoftClipBackward(double x, double limit, double seed, ref double dX, ref double dLimit)
                    {
                        double t = Math.Tanh(x / limit);
                        dX += seed * (1 - t * t);
                        dLimit += seed * (t - x / limit * (1 - t * t));
                        return limit * t;
                    }

                    [Differentiable]
                    public static double Clipped(double x, double limit) => External.SoftClip(x * 2, limit) + DiffMath.Relu(x) + DiffMath.Softplus(limit);
                }
            }
            """,
        };
    }
}
