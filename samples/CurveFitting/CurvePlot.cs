using System;
using ScottPlot;

namespace DiffGen.Samples.CurveFitting
{
    /// <summary>Draws the fit (points, true curve, fitted curve) and the loss curve side by side into one PNG.</summary>
    public static class CurvePlot
    {
        /// <summary>The PNG's width in pixels.</summary>
        public const int Width = 1400;

        /// <summary>The PNG's height in pixels.</summary>
        public const int Height = 600;

        /// <summary>Renders the two panels and saves them as a PNG.</summary>
        /// <param name="data">The points.</param>
        /// <param name="trueCoefficients">The curve the points come from.</param>
        /// <param name="fittedCoefficients">The curve Adam found.</param>
        /// <param name="lossHistory">The loss at each step.</param>
        /// <param name="path">The PNG file to write.</param>
        public static void Save(CurveData data, double[] trueCoefficients, double[] fittedCoefficients, double[] lossHistory, string path)
        {
            var multiplot = new Multiplot();
            multiplot.AddPlots(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

            DrawFit(multiplot.GetPlot(0), data, trueCoefficients, fittedCoefficients);
            DrawLoss(multiplot.GetPlot(1), lossHistory, CurveModel.Loss(trueCoefficients, data.Xs, data.Ys));

            multiplot.SavePng(path, Width, Height);
        }

        private static void DrawFit(Plot plot, CurveData data, double[] trueCoefficients, double[] fittedCoefficients)
        {
            double xMin = data.Xs[0];
            double xMax = data.Xs[^1];
            const int samples = 300;
            var gridX = new double[samples];
            var trueY = new double[samples];
            var fittedY = new double[samples];
            for (int i = 0; i < samples; i++)
            {
                double x = xMin + ((xMax - xMin) * i / (samples - 1));
                gridX[i] = x;
                trueY[i] = CurveModel.Cubic(trueCoefficients, x);
                fittedY[i] = CurveModel.Cubic(fittedCoefficients, x);
            }

            var points = plot.Add.Markers(data.Xs, data.Ys, MarkerShape.FilledCircle, 6, Colors.SteelBlue.WithAlpha(0.55));
            points.LegendText = $"{data.Xs.Length} noisy points";

            var truth = plot.Add.ScatterLine(gridX, trueY, Colors.Black);
            truth.LineWidth = 2;
            truth.LinePattern = LinePattern.Dashed;
            truth.LegendText = "true curve";

            var fitted = plot.Add.ScatterLine(gridX, fittedY, Colors.OrangeRed);
            fitted.LineWidth = 3;
            fitted.LegendText = "fitted curve";

            plot.Title("Cubic fitted by Adam with a DiffGen gradient");
            plot.XLabel("x");
            plot.YLabel("y");
            plot.ShowLegend(Alignment.UpperLeft);
        }

        private static void DrawLoss(Plot plot, double[] lossHistory, double trueCurveLoss)
        {
            var steps = new double[lossHistory.Length];
            var logLoss = new double[lossHistory.Length];
            for (int i = 0; i < lossHistory.Length; i++)
            {
                steps[i] = i;
                logLoss[i] = Math.Log10(lossHistory[i]);
            }

            var line = plot.Add.ScatterLine(steps, logLoss, Colors.OrangeRed);
            line.LineWidth = 2;
            line.LegendText = "loss of the current coefficients";

            // The best any curve can do is about the noise variance: the true curve's loss marks that floor.
            var floor = plot.Add.HorizontalLine(Math.Log10(trueCurveLoss), 1.5f, Colors.Black, LinePattern.Dashed);
            floor.LegendText = "loss of the true curve (noise floor)";

            // The data are log10(loss): label the ticks with the loss itself so the axis reads as a log scale.
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = v => Math.Pow(10, v).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
            plot.Title("Training loss (mean squared error, log scale)");
            plot.XLabel("Adam step");
            plot.YLabel("loss");
            plot.ShowLegend(Alignment.UpperRight);
        }
    }
}
