// The network graph on a cluster page: reports and the indicators that link them.
// Progressive enhancement: the tables on the page say the same thing in words, and without
// JavaScript the empty container takes no space.
import cytoscape from "../vendor/cytoscape/cytoscape.esm.min.mjs";

const GRAPH_HEIGHT = "480px";
// cytoscape adds a <style> element with this id unless one exists; the strict CSP would block
// it. Its only rule (`position: relative` on the container) is set below through CSSOM instead.
const CYTOSCAPE_STYLESHEET_ID = "__________cytoscape_stylesheet";

const COLOURS = {
  report: "#1d70b8",
  indicator: "#505a5f",
  flagged: "#f47738",
  edge: "#b1b4b6",
  text: "#0b0c0c",
};

function elements(graph) {
  const nodes = graph.nodes.map((node) => ({
    group: "nodes",
    data: { id: node.id, label: node.label, kind: node.kind, href: node.href || "" },
    classes: [node.kind, node.flagged ? "flagged" : ""].join(" ").trim(),
  }));
  const edges = graph.edges.map((edge, index) => ({
    group: "edges",
    data: { id: `e${index}`, source: edge.source, target: edge.target },
  }));
  return [...nodes, ...edges];
}

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": "system-ui, -apple-system, Roboto, Arial, sans-serif",
      "font-size": 16,
      color: COLOURS.text,
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "ellipsis",
      "text-max-width": 160,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 2,
    },
  },
  {
    selector: "node.report",
    style: { shape: "round-rectangle", width: 28, height: 28, "background-color": COLOURS.report },
  },
  {
    selector: "node.indicator",
    style: { shape: "diamond", width: 22, height: 22, "background-color": COLOURS.indicator },
  },
  {
    selector: "node.flagged",
    style: { "background-color": COLOURS.flagged, "border-width": 2, "border-color": COLOURS.text },
  },
  {
    selector: "edge",
    style: { width: 2, "line-color": COLOURS.edge, "curve-style": "straight" },
  },
  {
    selector: "node:selected",
    style: { "border-width": 3, "border-color": "#ffdd00" },
  },
];

function render(container, graph) {
  if (!document.getElementById(CYTOSCAPE_STYLESHEET_ID)) {
    const marker = document.createElement("meta");
    marker.id = CYTOSCAPE_STYLESHEET_ID;
    document.head.append(marker);
  }
  container.style.position = "relative";
  container.style.height = GRAPH_HEIGHT;
  container.style.border = "1px solid #cecece";
  const cy = cytoscape({
    container,
    elements: elements(graph),
    style: STYLE,
    layout: {
      name: "cose",
      animate: false,
      randomize: false,
      padding: 40,
      // Room for the labels: references and values are long.
      idealEdgeLength: () => 160,
      nodeRepulsion: () => 1_000_000,
    },
    minZoom: 0.2,
    // A small cluster is fitted to the box without blowing its nodes up.
    maxZoom: 1.25,
  });
  cy.on("tap", "node", (event) => {
    const href = event.target.data("href");
    if (href) window.location.assign(href);
  });
  container.dataset.renderedNodes = String(cy.nodes().length);
  container.dataset.renderedEdges = String(cy.edges().length);
  return cy;
}

const container = document.getElementById("cluster-graph");
const data = document.getElementById("cluster-graph-data");
if (container && data) {
  render(container, JSON.parse(data.textContent));
}
