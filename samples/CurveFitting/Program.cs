using System;
namespace DiffGen.Samples.CurveFitting
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            double[] c = { 1, -2, 0.5, 0.3 };
            double[] xs = { -1, 0.5, 2 };
            double[] ys = { 0.2, 1, -1 };
            double[] g = new double[4];
            CurveModel.LossGradient(c, xs, ys, g);
            Console.WriteLine(string.Join(", ", g));
            return 0;
        }
    }
}
