// Entry of the watch page (/watch/<roomId>[?flv=1]).
import '../shared/base.css';
import './watch.css';
import { localizePage } from '../shared/i18n';
import { ChatPanel } from './chat-panel';
import { GuestGrid } from './guest-grid';
import { WatchPage } from './watch-page';
import { WatchView } from './watch-view';

localizePage(); // first: the views below read texts in the page's language
const roomId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const flv = new URLSearchParams(location.search).get('flv') === '1';
const grid = new GuestGrid(roomId);
const page = new WatchPage(roomId, new WatchView(), flv, grid);
page.start();
new ChatPanel(roomId, (status) => page.roomState(status), (guests) => grid.lineup(guests)).start();
