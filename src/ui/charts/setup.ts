// Chart.js, with only the pieces predlens draws registered (bars and lines on category and linear axes, and the fill between lines for bands), so the
// bundle carries no other chart types. Every chart in the app goes through Chart.svelte.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
  Filler,
);

Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
Chart.defaults.font.size = 12;
Chart.defaults.color = '#5d6476';
Chart.defaults.borderColor = '#e6e8ef';
// The charts follow sliders: redraw at once instead of animating every step.
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

export { Chart };
export type { ChartConfiguration, ChartDataset, ChartOptions, ChartType } from 'chart.js';
