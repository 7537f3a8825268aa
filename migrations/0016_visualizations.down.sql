DROP TABLE visualizations;
