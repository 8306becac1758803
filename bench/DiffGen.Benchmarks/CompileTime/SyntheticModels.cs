using System;
using System.Globalization;

namespace DiffGen.Benchmarks.CompileTime
{
    /// <summary>
    /// Source text of realistic [Differentiable] methods (20–60 lines each, with loops, branches, local buffers and
    /// calls), for the compile-time benchmark. Four shapes rotate; constants and names vary with the index so no two
    /// methods are the same text.
    /// </summary>
    public static class SyntheticModels
    {
        /// <summary>The file of method number <paramref name="index"/>: one partial class holding one [Differentiable] method.</summary>
        public static string Source(int index)
        {
            string body = (index % 4) switch
            {
                0 => PolynomialHuber(index),
                1 => Network(index),
                2 => Oscillator(index),
                _ => Classifier(index),
            };
            return "using System;\nusing DiffGen;\n\nnamespace Synthetic\n{\n    public static partial class Model" + index.ToString(CultureInfo.InvariantCulture) + "\n    {\n" + body + "    }\n}\n";
        }

        /// <summary>A file the generator has no business with; <paramref name="version"/> changes a method body (the "unrelated edit").</summary>
        public static string Unrelated(int version) =>
            "namespace Synthetic\n{\n    public static class Unrelated\n    {\n        public static int Answer(int x)\n        {\n            return x * "
            + version.ToString(CultureInfo.InvariantCulture) + " + 1;\n        }\n    }\n}\n";

        private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string PolynomialHuber(int i) => $$"""
        [Differentiable]
        public static double PolyHuber{{i}}(ReadOnlySpan<double> c, [NoDiff] ReadOnlySpan<double> xs, [NoDiff] ReadOnlySpan<double> ys, double lambda)
        {
            const double delta = {{F(0.5 + 0.01 * i)}};
            double sum = 0;
            for (int n = 0; n < xs.Length; n++)
            {
                double x = xs[n];
                double p = 0;
                double power = 1;
                for (int k = 0; k < c.Length; k++)
                {
                    p += c[k] * power;
                    power *= x;
                }

                double r = p - ys[n];
                if (Math.Abs(r) < delta)
                {
                    sum += 0.5 * r * r;
                }
                else
                {
                    sum += delta * (Math.Abs(r) - 0.5 * delta);
                }
            }

            double penalty = 0;
            for (int k = 0; k < c.Length; k++)
            {
                penalty += c[k] * c[k];
            }

            return sum / xs.Length + lambda * penalty;
        }

""";

        private static string Network(int i) => $$"""
        private const int Hidden{{i}} = {{8 + (i % 5)}};

        [Differentiable]
        public static double Net{{i}}(
            ReadOnlySpan<double> w1,
            ReadOnlySpan<double> b1,
            ReadOnlySpan<double> w2,
            double b2,
            [NoDiff] ReadOnlySpan<double> xs,
            [NoDiff] ReadOnlySpan<double> ys)
        {
            Span<double> hidden = stackalloc double[Hidden{{i}}];
            double loss = 0;
            for (int s = 0; s < ys.Length; s++)
            {
                double x0 = xs[2 * s];
                double x1 = xs[2 * s + 1];
                for (int j = 0; j < Hidden{{i}}; j++)
                {
                    double z = w1[2 * j] * x0 + w1[2 * j + 1] * x1 + b1[j];
                    hidden[j] = z > 0 ? Math.Tanh(z) : {{F(0.01 * (1 + i % 3))}} * z;
                }

                double output = b2;
                for (int j = 0; j < Hidden{{i}}; j++)
                {
                    output += w2[j] * hidden[j];
                }

                double r = output - ys[s];
                loss += r * r;
            }

            return loss / ys.Length;
        }

""";

        private static string Oscillator(int i) => $$"""
        [Differentiable]
        public static double Oscillator{{i}}(double mass, double damping, double stiffness, [NoDiff] double dt, int steps)
        {
            double x = 1.0;
            double v = 0.0;
            double energy = 0;
            for (int s = 0; s < steps; s++)
            {
                double force = -stiffness * x - damping * v + {{F(0.1 + 0.001 * i)}} * Math.Sin({{F(1.5 + 0.01 * i)}} * s * dt);
                double a = force / mass;
                v += dt * a;
                x += dt * v;
                double e = 0.5 * mass * v * v + 0.5 * stiffness * x * x;
                if (e > 1e6)
                {
                    break;
                }

                energy += e * dt;
            }

            double target = {{F(0.25 + 0.001 * i)}};
            double miss = x - target;
            return energy + miss * miss;
        }

""";

        private static string Classifier(int i) => $$"""
        private const int Classes{{i}} = {{4 + (i % 7)}};

        [Differentiable]
        public static double Classify{{i}}(ReadOnlySpan<double> weights, [NoDiff] ReadOnlySpan<double> features, int label, double temperature)
        {
            Span<double> logits = stackalloc double[Classes{{i}}];
            int dim = features.Length;
            for (int c = 0; c < Classes{{i}}; c++)
            {
                double z = 0;
                for (int d = 0; d < dim; d++)
                {
                    z += weights[c * dim + d] * features[d];
                }

                logits[c] = z / temperature;
            }

            double max = logits[0];
            for (int c = 1; c < Classes{{i}}; c++)
            {
                max = Math.Max(max, logits[c]);
            }

            double sum = 0;
            for (int c = 0; c < Classes{{i}}; c++)
            {
                sum += Math.Exp(logits[c] - max);
            }

            double decay = 0;
            foreach (double w in weights)
            {
                decay += w * w;
            }

            return Math.Log(sum) + max - logits[label] + {{F(1e-4 * (1 + i % 4))}} * decay;
        }

""";
    }
}
