DROP TABLE canvases;
