// Entry of the videos page: /videos (the public library) or /videos?room=<roomId> (that room's replays).
import '../shared/base.css';
import './videos.css';
import { localizePage, t } from '../shared/i18n';
import { PAGE_LIMIT, VideosPage } from './videos-page';
import { VideoPlayer } from './video-player';

localizePage(); // first: the rows read texts in the page's language
document.title = t('videos.title');
const query = new URLSearchParams(location.search);
const limit = Number(query.get('limit'));
new VideosPage(new VideoPlayer(), query.get('room') || null, Number.isInteger(limit) && limit >= 1 && limit <= 50 ? limit : PAGE_LIMIT).start();
